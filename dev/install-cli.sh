#!/usr/bin/env bash
# usage: dev/install-cli.sh PREFIX
# Copies the built CLI to PREFIX/share/sbx and puts an `sbx` launcher in PREFIX/bin.
set -euo pipefail
prefix=${1:?usage: dev/install-cli.sh PREFIX}
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$prefix/bin" "$prefix/share/sbx"
install -m 0644 "$root/cli/target/sbx-all.jar" "$prefix/share/sbx/sbx.jar"
cat > "$prefix/bin/sbx" <<LAUNCHER
#!/usr/bin/env bash
exec "\${JAVA:-java}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto \\
  -jar "$prefix/share/sbx/sbx.jar" "\$@"
LAUNCHER
chmod 0755 "$prefix/bin/sbx"
echo "installed $prefix/bin/sbx"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
