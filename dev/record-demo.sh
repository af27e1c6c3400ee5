#!/usr/bin/env bash
# usage: dev/record-demo.sh [--no-build]
# Records a real run of dev/demo.sh for the README: assets/demo.gif and assets/screenshot.png.
# Builds, starts the control plane (local runtime, temporary state folder, free port; unless
# SBX_ADDR names a running one), runs the demo in a detached tmux window of a fixed size, captures
# the screen every 0.15 s, draws each distinct screen with ImageMagick and joins them into a GIF
# whose frames last as long as the screens did. The screenshot is the last screen.
# Needs tmux, ImageMagick and the DejaVu fonts; as root it installs them with apt-get.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

build=1
case "${1:-}" in
  "") ;;
  --no-build) build= ;;
  *) echo "usage: dev/record-demo.sh [--no-build]" >&2; exit 2 ;;
esac
cols=114 rows=25 interval=0.15 hold_cs=500 timeout_s=180
pointsize=14 line_height=18 pad=14 bar=30
bg='#1e1e1e' fg='#d4d4d4' bright='#ffffff' green='#4ec94e' bar_bg='#323233' title_fg='#9d9d9d'
title="make demo: sbx against the control plane, local runtime"

im=(convert)
command -v magick >/dev/null && im=(magick)
missing=()
command -v tmux >/dev/null || missing+=(tmux)
if ! "${im[@]}" -version 2>/dev/null | grep -q ImageMagick; then
  missing+=(imagemagick fonts-dejavu-core)
elif ! "${im[@]}" -list font | grep -q 'Font: DejaVu-Sans-Mono$'; then
  missing+=(fonts-dejavu-core)
fi
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    command -v magick >/dev/null && im=(magick)
  else
    echo "record-demo: missing ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sbx-demo.XXXXXX")
# As root, sandboxes run as nobody and must pass through the state folder's parent.
chmod 711 "$work"
sock="sbx-demo-$$"
cp_pid=
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  if [[ -n $cp_pid ]] && kill -0 "$cp_pid" 2>/dev/null; then
    kill "$cp_pid"
    wait "$cp_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n $build ]]; then
  echo "== build"
  "${MVN:-./mvnw}" -B -q -DskipTests package
fi

if [[ -z ${SBX_ADDR:-} ]]; then
  echo "== control plane"
  # A copy, so that a rebuild in this tree while it runs cannot pull classes out from under it.
  cp control-plane/target/control-plane.jar "$work/"
  SERVER_PORT=0 SANDBOX_STATE_DIR="$work/state" \
    "${JAVA:-java}" -jar "$work/control-plane.jar" >"$work/control-plane.log" 2>&1 &
  cp_pid=$!
  port=
  for _ in $(seq 1200); do
    port=$(sed -n 's/.*control-plane listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' \
      "$work/control-plane.log" | head -1)
    [[ -n $port ]] && break
    kill -0 "$cp_pid" 2>/dev/null || { cat "$work/control-plane.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $port ]] || { echo "record-demo: the control plane did not start in 120 s" >&2; exit 1; }
  export SBX_ADDR="http://127.0.0.1:$port"
fi

echo "== recording dev/demo.sh against $SBX_ADDR"
frames="$work/frames"
mkdir -p "$frames"
printf 'set -g status off\n' >"$work/tmux.conf"
tmux -L "$sock" -f "$work/tmux.conf" new-session -d -s demo -x "$cols" -y "$rows" \
  "DEMO_PAUSE=0.8 dev/demo.sh; echo \$? >'$work/rc'; sleep 3600"

# Each frame is NNNN.txt: the cursor's column and row on the first line, then the screen.
# times[n] is when frame n was first seen, in microseconds.
n=0 previous='' times=()
deadline=$((SECONDS + timeout_s))
while :; do
  finished=
  [[ -f $work/rc ]] && finished=1
  now=${EPOCHREALTIME/./}
  screen=$(tmux -L "$sock" display -p -t demo '#{cursor_x} #{cursor_y}'
    tmux -L "$sock" capture-pane -p -t demo)
  text=$(tail -n +2 <<<"$screen" | tr -d ' \n')
  # The empty screens before the demo's first line are left out.
  if [[ $screen != "$previous" && ( $n -gt 0 || -n $text ) ]]; then
    n=$((n + 1))
    printf '%s\n' "$screen" >"$frames/$(printf %04d "$n").txt"
    times[n]=$now
    previous=$screen
  fi
  [[ -n $finished ]] && break
  if ((SECONDS >= deadline)); then
    echo "record-demo: the demo ran longer than $timeout_s s" >&2
    exit 1
  fi
  sleep "$interval"
done
rc=$(<"$work/rc")
if [[ $rc != 0 ]]; then
  ((n == 0)) || tail -n +2 "$frames/$(printf %04d "$n").txt" >&2
  echo "record-demo: dev/demo.sh failed ($rc); nothing written" >&2
  exit 1
fi

text_width() {
  "${im[@]}" -font DejaVu-Sans-Mono -pointsize "$pointsize" label:"$1" -format %w info:
}
# DejaVu Sans Mono advances every glyph, bold ones too, by the same whole number of pixels; the
# difference of two widths leaves out the bearings at the ends.
m50=$(printf 'M%.0s' {1..50})
cell=$(( ($(text_width "$m50$m50") - $(text_width "$m50")) / 50 ))
width=$((cols * cell + 2 * pad)) height=$((bar + rows * line_height + pad))
ascent=$((pointsize - 1))

# -annotate reads % and \ as escapes and a leading @ as a file name, and drops leading spaces.
escaped() {
  local s=${1//\\/\\\\}
  s=${s//%/%%}
  [[ $s == @* ]] && s="\\$s"
  printf '%s' "$s"
}

render() { # frame.txt out.png
  local args=(-size "${width}x${height}" "xc:$bg"
    -fill "$bar_bg" -draw "rectangle 0,0 $width,$((bar - 1))"
    -fill '#ff5f56' -draw "circle 18,15 24,15" -fill '#ffbd2e' -draw "circle 38,15 44,15"
    -fill '#27c93f' -draw "circle 58,15 64,15"
    -font DejaVu-Sans -pointsize 12 -fill "$title_fg" -gravity north -annotate +0+8 "$title"
    +gravity -pointsize "$pointsize")
  local cursor line row=0 x y indent
  { read -r cursor
    while IFS= read -r line; do
      y=$((bar + pad / 2 + row * line_height + ascent))
      indent=${line%%[! ]*}
      x=$((pad + ${#indent} * cell))
      if [[ $line == '$ '* ]]; then
        args+=(-font DejaVu-Sans-Mono-Bold -fill "$green" -annotate "+$pad+$y" '$'
          -fill "$bright" -annotate "+$((pad + 2 * cell))+$y" "$(escaped "${line:2}")")
      elif [[ -n ${line// /} ]]; then
        args+=(-font DejaVu-Sans-Mono -fill "$fg"
          -annotate "+$x+$y" "$(escaped "${line#"$indent"}")")
      fi
      row=$((row + 1))
    done
  } <"$1"
  local cx=${cursor% *} cy=${cursor#* }
  x=$((pad + cx * cell)) y=$((bar + pad / 2 + cy * line_height))
  args+=(-fill "$fg" -draw "rectangle $x,$((y + 2)) $((x + cell - 1)),$((y + line_height - 1))")
  "${im[@]}" "${args[@]}" "$2"
}

echo "== drawing $n frames"
gif=(-loop 0)
for ((i = 1; i <= n; i++)); do
  frame="$frames/$(printf %04d "$i")"
  render "$frame.txt" "$frame.png"
  if ((i < n)); then
    delay=$(( (times[i + 1] - times[i] + 5000) / 10000 ))
  else
    delay=$hold_cs
  fi
  gif+=(-delay "$delay" "$frame.png")
done
mkdir -p assets
"${im[@]}" "$frame.png" -strip -depth 8 assets/screenshot.png
# One palette for every frame, taken from the last (it has every colour), so that unchanged parts
# stay identical and -layers Optimize keeps only what changed.
"${im[@]}" "$frame.png" +dither -colors 32 -unique-colors "$work/palette.png"
"${im[@]}" "${gif[@]}" +dither -remap "$work/palette.png" -layers Optimize assets/demo.gif
ls -l assets/demo.gif assets/screenshot.png
