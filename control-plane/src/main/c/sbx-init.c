/*
 * sbx-init, native: the first process of a local sandbox (pid 1 of its pid namespace), speaking
 * the same protocol as sbx-init.sh (read that file's header for it). The control plane uses this
 * one when the build could compile it, and the shell script otherwise.
 *
 * Why a second implementation: on a VM a fork of bash costs 3-4 ms, and the script forks twice per
 * exec. Here one vfork starts a command (no page tables are copied), and one event loop reads
 * requests and reaps children, so the exec path costs about what joining the sandbox costs.
 *
 * Everything a command could influence is bounded: a request file is read with a size cap, report
 * lines are short and made of the exec id the control plane chose (checked here too), and the
 * control channel's descriptors are never inherited. PR_SET_DUMPABLE 0 keeps them out of reach
 * through /proc, as the execute-only copy does for the script.
 *
 * Terminals are this one's alone (the script answers nothing to them, and the control plane does
 * not ask it): "r <id> t <cols> <rows>" starts the command in a session of its own on a new PTY of
 * the sandbox's devpts, and this process relays it: typed bytes from the <id>.in FIFO to the
 * master, the master's output to <id>.out (which the control plane tails, as for any command).
 * "w <id> <cols> <rows>" resizes it; "k <id> <signal>" signals its foreground process group.
 * Neither has an answer.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef EXECS_DIR
#define EXECS_DIR "/run/sbx/x"
#endif
#define MAX_ID 100
#define MAX_REQUEST (16 << 20)
#define MAX_LINE 256

extern char **environ;

#define TTY_PENDING 4096
#define TTY_CHUNK (64 << 10)
/* What is left to read of a terminal's output once its command ended: a background process that
 * keeps writing must not hold the end report for ever. */
#define TTY_DRAIN_MAX (4 << 20)

struct child {
  pid_t pid;
  char id[MAX_ID + 1];
  /* A command on a terminal: the master we relay, the .in FIFO typed bytes come from, the .out
   * file its output goes to, and typed bytes the terminal did not take yet. -1: none (any more). */
  int master;
  int input;
  int output;
  int master_done; /* every slave descriptor closed: nothing more to read */
  char pending[TTY_PENDING];
  size_t pending_off, pending_len;
};

#define CHILD_STACK (64 << 10)
static char child_stack[CHILD_STACK] __attribute__((aligned(16)));

static struct child *children;
static size_t child_count;
static size_t child_capacity;

/* Writes one report line whole; the control plane gone means this sandbox is over. */
static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...) {
  char line[MAX_LINE];
  va_list args;
  va_start(args, fmt);
  int n = vsnprintf(line, sizeof line, fmt, args);
  va_end(args);
  if (n < 0 || (size_t)n >= sizeof line) {
    _exit(71);
  }
  for (int done = 0; done < n;) {
    ssize_t w = write(STDOUT_FILENO, line + done, (size_t)(n - done));
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w <= 0) {
      _exit(0);
    }
    done += (int)w;
  }
}

/* Exec ids are the control plane's: letters, digits and a few marks, never a path. */
static int valid_id(const char *id) {
  size_t n = strlen(id);
  if (n == 0 || n > MAX_ID || id[0] == '.') {
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    char c = id[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.')) {
      return 0;
    }
  }
  return 1;
}

/* The request file, whole, with a NUL after it; NULL when it cannot be read or is too large. */
static char *read_request(const char *id, size_t *length) {
  char name[MAX_ID + 8];
  snprintf(name, sizeof name, "%s.req", id);
  int fd = open(name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return NULL;
  }
  size_t capacity = 4096, used = 0;
  char *data = malloc(capacity + 1);
  while (data != NULL) {
    if (used == capacity) {
      if (capacity >= MAX_REQUEST) {
        free(data);
        data = NULL;
        break;
      }
      char *bigger = realloc(data, capacity * 2 + 1);
      if (bigger == NULL) {
        free(data);
        data = NULL;
        break;
      }
      data = bigger;
      capacity *= 2;
    }
    ssize_t n = read(fd, data + used, capacity - used);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      free(data);
      data = NULL;
      break;
    }
    if (n == 0) {
      data[used] = '\0';
      *length = used;
      break;
    }
    used += (size_t)n;
  }
  close(fd);
  return data;
}

/* Async-signal-safe writes for the child between vfork and exec. */
static void say(int fd, const char *a, const char *b, const char *c) {
  const char *parts[] = {a, b, c};
  for (int i = 0; i < 3; i++) {
    if (write(fd, parts[i], strlen(parts[i])) < 0) {
      return;
    }
  }
}

static int redirect(const char *path, int flags, int target) {
  int fd = open(path, flags | O_NOFOLLOW, 0666);
  if (fd < 0) {
    return -1;
  }
  if (fd != target) {
    if (dup2(fd, target) < 0) {
      return -1;
    }
    close(fd);
  }
  return 0;
}

static const char *env_value(char **envp, const char *name) {
  size_t n = strlen(name);
  for (char **e = envp; *e != NULL; e++) {
    if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') {
      return *e + n + 1;
    }
  }
  return NULL;
}

/* execve, and what a shell does when it fails: a script without #! runs under /bin/sh. */
static void exec_file(const char *path, char **argv, char **envp) {
  execve(path, argv, envp);
  if (errno == ENOEXEC) {
    argv[-1] = "sh";
    argv[0] = (char *)path;
    execve("/bin/sh", argv - 1, envp);
  }
}

struct launch {
  const char *id;
  int with_stdin;
  const char *tty; /* the terminal's slave, or NULL */
  const char *cwd;
  char **argv;
  char **envp;
};

/*
 * The child, on its own stack and sharing our memory until it execs (clone with CLONE_VM and
 * CLONE_VFORK, as posix_spawn does): only system calls and stack memory until execve or _exit.
 */
static int child(void *arg) {
  const struct launch *launch = arg;
  const char *id = launch->id;
  const char *cwd = launch->cwd;
  int with_stdin = launch->with_stdin;
  char **argv = launch->argv;
  char **envp = launch->envp;
  sigset_t none;
  sigemptyset(&none);
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    sigaction(sig, &dfl, NULL);
  }
  sigprocmask(SIG_SETMASK, &none, NULL);
  char name[MAX_ID + 8];
  if (launch->tty != NULL) {
    /* A session of its own whose controlling terminal is the slave: job control, Ctrl-C and
     * SIGWINCH then work as on a login. */
    int fd = setsid() < 0 ? -1 : open(launch->tty, O_RDWR);
    if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0 || dup2(fd, STDIN_FILENO) < 0 ||
        dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0) {
      _exit(1);
    }
    if (fd > STDERR_FILENO) {
      close(fd);
    }
    goto redirected;
  }
  setpgid(0, 0);
  const char *in = "/dev/null";
  if (with_stdin) {
    memcpy(name, id, strlen(id));
    memcpy(name + strlen(id), ".in", 4);
    in = name;
  }
  if (redirect(in, O_RDONLY, STDIN_FILENO) < 0) {
    _exit(1);
  }
  memcpy(name, id, strlen(id));
  memcpy(name + strlen(id), ".out", 5);
  if (redirect(name, O_WRONLY | O_CREAT | O_TRUNC, STDOUT_FILENO) < 0) {
    _exit(1);
  }
  memcpy(name + strlen(id), ".err", 5);
  if (redirect(name, O_WRONLY | O_CREAT | O_TRUNC, STDERR_FILENO) < 0) {
    _exit(1);
  }
redirected:
  if (chdir(cwd) < 0) {
    say(STDERR_FILENO, "sbx: working directory ", cwd, " does not exist\n");
    _exit(126);
  }
  const char *program = argv[0];
  if (strchr(program, '/') != NULL) {
    exec_file(program, argv, envp);
    int failed = errno;
    if (failed == ENOENT || failed == ENOTDIR) {
      say(STDERR_FILENO, "sbx: ", program, ": command not found\n");
      _exit(127);
    }
    say(STDERR_FILENO, "sbx: ", program, ": cannot run it\n");
    _exit(126);
  }
  const char *path = env_value(envp, "PATH");
  if (path == NULL) {
    path = "/usr/local/bin:/usr/bin:/bin";
  }
  size_t program_length = strlen(program);
  int denied = 0;
  for (const char *dir = path;;) {
    const char *end = strchrnul(dir, ':');
    size_t dir_length = (size_t)(end - dir);
    char full[4096];
    if (dir_length + program_length + 2 <= sizeof full) {
      size_t at = 0;
      if (dir_length == 0) {
        full[at++] = '.';
      } else {
        memcpy(full, dir, dir_length);
        at = dir_length;
      }
      full[at++] = '/';
      memcpy(full + at, program, program_length + 1);
      struct stat st;
      if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
        if (access(full, X_OK) == 0) {
          exec_file(full, argv, envp);
        }
        denied = 1;
      }
    }
    if (*end == '\0') {
      break;
    }
    dir = end + 1;
  }
  if (denied) {
    say(STDERR_FILENO, "sbx: ", program, ": cannot run it\n");
    _exit(126);
  }
  say(STDERR_FILENO, "sbx: ", program, ": command not found\n");
  _exit(127);
}

/* The inherited environment, without the names the request sets, then the request's, then ours. */
static char **environment(char **fields, int count, const char *id, const char *cwd,
                          char **owned) {
  size_t inherited = 0;
  while (environ[inherited] != NULL) {
    inherited++;
  }
  char **envp = calloc(inherited + (size_t)count + 3, sizeof *envp);
  if (envp == NULL) {
    return NULL;
  }
  size_t n = 0;
  for (size_t i = 0; i < inherited; i++) {
    const char *entry = environ[i];
    size_t name_length = strcspn(entry, "=");
    int replaced = (name_length == 11 && strncmp(entry, "SBX_EXEC_ID", 11) == 0) ||
                   (name_length == 3 && strncmp(entry, "PWD", 3) == 0);
    for (int j = 0; j < count && !replaced; j++) {
      replaced = strncmp(fields[j], entry, name_length + 1) == 0;
    }
    if (!replaced) {
      envp[n++] = (char *)entry;
    }
  }
  int has_pwd = 0;
  for (int j = 0; j < count; j++) {
    envp[n++] = fields[j];
    has_pwd |= strncmp(fields[j], "PWD=", 4) == 0;
  }
  char *exec_id = malloc(strlen(id) + 13);
  char *pwd = has_pwd ? NULL : malloc(strlen(cwd) + 5);
  if (exec_id == NULL || (!has_pwd && pwd == NULL)) {
    free(exec_id);
    free(pwd);
    free(envp);
    return NULL;
  }
  sprintf(exec_id, "SBX_EXEC_ID=%s", id);
  envp[n++] = exec_id;
  owned[0] = exec_id;
  owned[1] = pwd;
  if (pwd != NULL) {
    sprintf(pwd, "PWD=%s", cwd);
    envp[n++] = pwd;
  }
  envp[n] = NULL;
  return envp;
}

static struct child *remember(pid_t pid, const char *id) {
  if (child_count == child_capacity) {
    size_t capacity = child_capacity == 0 ? 16 : child_capacity * 2;
    struct child *bigger = realloc(children, capacity * sizeof *children);
    if (bigger == NULL) {
      _exit(71);
    }
    children = bigger;
    child_capacity = capacity;
  }
  struct child *c = &children[child_count++];
  memset(c, 0, offsetof(struct child, pending));
  c->pid = pid;
  strcpy(c->id, id);
  c->master = c->input = c->output = -1;
  c->pending_off = c->pending_len = 0;
  return c;
}

static void close_fd(int *fd) {
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

/* A terminal of that size: its master, non-blocking, and the slave's name in `slave`. */
static int open_terminal(int cols, int rows, char *slave, size_t size) {
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
  if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
      ptsname_r(master, slave, size) != 0 || ioctl(master, TIOCSWINSZ, &ws) < 0 ||
      fcntl(master, F_SETFL, O_NONBLOCK) < 0) {
    if (master >= 0) {
      close(master);
    }
    return -1;
  }
  return master;
}

/* tty_cols > 0: on a new terminal of that size, relayed between <id>.in, the master and <id>.out. */
static void start(const char *id, int with_stdin, int tty_cols, int tty_rows) {
  size_t length = 0;
  char *request = read_request(id, &length);
  if (request == NULL) {
    report("e %s request\n", id);
    return;
  }
  /* Fields: cwd, count, count NAME=value entries, program, arguments; each ends with a NUL. */
  size_t field_count = 0;
  for (size_t i = 0; i < length; i++) {
    field_count += request[i] == '\0';
  }
  char **fields = calloc(field_count + 2, sizeof *fields);
  if (fields == NULL) {
    free(request);
    report("e %s request\n", id);
    return;
  }
  size_t n = 0;
  for (size_t at = 0; at < length; at += strlen(request + at) + 1) {
    fields[n++] = request + at;
  }
  char *end = NULL;
  long count = n > 1 ? strtol(fields[1], &end, 10) : -1;
  if (n < 2 || end == fields[1] || *end != '\0' || count < 0 || (size_t)count + 3 > n) {
    free(fields);
    free(request);
    report("e %s request\n", id);
    return;
  }
  const char *cwd = fields[0];
  /* One spare slot before the program, for running a script without #! under /bin/sh. */
  size_t arg_count = n - 2 - (size_t)count;
  char **args = calloc(arg_count + 2, sizeof *args);
  char *owned[2] = {NULL, NULL};
  char **envp = args == NULL ? NULL : environment(fields + 2, (int)count, id, cwd, owned);
  struct stat st;
  int cwd_ok = stat(cwd, &st) == 0 && S_ISDIR(st.st_mode) && access(cwd, X_OK) == 0;
  pid_t pid = -1;
  char slave[64];
  int master = -1, input = -1, output = -1;
  if (envp != NULL && cwd_ok && tty_cols > 0) {
    char name[MAX_ID + 8];
    master = open_terminal(tty_cols, tty_rows, slave, sizeof slave);
    snprintf(name, sizeof name, "%s.in", id);
    input = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
    snprintf(name, sizeof name, "%s.out", id);
    output = open(name, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
  }
  int tty_ok = tty_cols == 0 || (master >= 0 && input >= 0 && output >= 0);
  if (envp != NULL && cwd_ok && tty_ok) {
    memcpy(args + 1, fields + 2 + count, arg_count * sizeof *args);
    struct launch launch = {id, with_stdin, tty_cols > 0 ? slave : NULL, cwd, args + 1, envp};
    pid = clone(child, child_stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, &launch);
  }
  free(owned[0]);
  free(owned[1]);
  free(envp);
  free(args);
  free(fields);
  free(request);
  if (envp != NULL && !cwd_ok) {
    report("e %s cwd\n", id);
  } else if (pid < 0) {
    close_fd(&master);
    close_fd(&input);
    close_fd(&output);
    report("e %s request\n", id);
  } else {
    struct child *c = remember(pid, id);
    c->master = master;
    c->input = input;
    c->output = output;
    report("s %s %d\n", id, (int)pid);
  }
}

static struct child *find_child(const char *id) {
  for (size_t i = 0; i < child_count; i++) {
    if (strcmp(children[i].id, id) == 0) {
      return &children[i];
    }
  }
  return NULL;
}

/* Whole output writes to the .out file; a full disk loses terminal output, never the session. */
static void write_output(struct child *c, const char *data, size_t length) {
  for (size_t done = 0; done < length;) {
    ssize_t w = write(c->output, data + done, length - done);
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w <= 0) {
      return;
    }
    done += (size_t)w;
  }
}

/* Moves what the terminal printed to the .out file; up to `limit` bytes. */
static void relay_output(struct child *c, size_t limit) {
  static char chunk[TTY_CHUNK];
  size_t moved = 0;
  while (!c->master_done && moved < limit) {
    ssize_t n = read(c->master, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && errno == EAGAIN) {
      return;
    }
    if (n <= 0) {
      c->master_done = 1; /* EIO: no process holds the slave any more */
      return;
    }
    write_output(c, chunk, (size_t)n);
    moved += (size_t)n;
  }
}

/* Moves typed bytes to the terminal, as many as it takes now. */
static void relay_input(struct child *c) {
  if (c->pending_off == c->pending_len && c->input >= 0) {
    ssize_t n = read(c->input, c->pending, sizeof c->pending);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      close_fd(&c->input); /* the control plane closed it: the session takes no more input */
    } else if (n > 0) {
      c->pending_off = 0;
      c->pending_len = (size_t)n;
    }
  }
  while (c->pending_off < c->pending_len) {
    ssize_t w = write(c->master, c->pending + c->pending_off, c->pending_len - c->pending_off);
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w < 0 && errno == EAGAIN) {
      return;
    }
    if (w <= 0) {
      c->pending_off = c->pending_len = 0; /* a terminal that takes nothing: typing is lost */
      return;
    }
    c->pending_off += (size_t)w;
  }
}

static void close_terminal(struct child *c) {
  if (c->master >= 0) {
    relay_output(c, TTY_DRAIN_MAX);
  }
  close_fd(&c->master);
  close_fd(&c->input);
  close_fd(&c->output);
}

/* w <id> <cols> <rows>: a new window size; the kernel sends SIGWINCH to the foreground group. */
static void resize(const char *id, const char *cols, const char *rows) {
  struct child *c = find_child(id);
  long w = cols == NULL ? 0 : strtol(cols, NULL, 10), h = rows == NULL ? 0 : strtol(rows, NULL, 10);
  if (c == NULL || c->master < 0 || w < 1 || w > 10000 || h < 1 || h > 10000) {
    return;
  }
  struct winsize ws = {.ws_row = (unsigned short)h, .ws_col = (unsigned short)w};
  ioctl(c->master, TIOCSWINSZ, &ws);
}

/* k <id> <signal>: to the terminal's foreground process group, as the terminal itself would. */
static void signal_terminal(const char *id, const char *number) {
  struct child *c = find_child(id);
  long sig = number == NULL ? 0 : strtol(number, NULL, 10);
  if (c == NULL || c->master < 0 || sig < 1 || sig > 64) {
    return;
  }
  pid_t group = -1;
  if (ioctl(c->master, TIOCGPGRP, &group) < 0 || group <= 1) {
    group = c->pid;
  }
  kill(-group, (int)sig);
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (size_t i = 0; i < child_count; i++) {
      if (children[i].pid == pid) {
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        close_terminal(&children[i]); /* its last output is in .out before the end report */
        report("x %s %d\n", children[i].id, code);
        children[i] = children[--child_count];
        break;
      }
    }
  }
}

/*
 * One line from the control plane: r <exec_id> [i | t <cols> <rows>], w <exec_id> <cols> <rows>
 * or k <exec_id> <signal>. Anything else is ignored.
 */
static void request(char *line) {
  char *save = NULL;
  char *op = strtok_r(line, " ", &save);
  char *id = strtok_r(NULL, " ", &save);
  char *a = strtok_r(NULL, " ", &save);
  char *b = strtok_r(NULL, " ", &save);
  char *c = strtok_r(NULL, " ", &save);
  if (op == NULL || id == NULL || !valid_id(id)) {
    return;
  }
  if (strcmp(op, "w") == 0) {
    resize(id, a, b);
  } else if (strcmp(op, "k") == 0) {
    signal_terminal(id, a);
  } else if (strcmp(op, "r") == 0 && a != NULL && strcmp(a, "t") == 0) {
    long cols = b == NULL ? 0 : strtol(b, NULL, 10), rows = c == NULL ? 0 : strtol(c, NULL, 10);
    if (cols >= 1 && cols <= 10000 && rows >= 1 && rows <= 10000) {
      start(id, 0, (int)cols, (int)rows);
    } else {
      report("e %s request\n", id);
    }
  } else if (strcmp(op, "r") == 0) {
    start(id, a != NULL && strcmp(a, "i") == 0, 0, 0);
  }
}

/*
 * Drops every privilege of root for good: no capability left in any set, the bounding set
 * included, no supplementary group, and uid and gid the sandbox's in all three slots. Checked
 * afterwards, so that a kernel that refused a step cannot leave a half-privileged bwrap.
 */
static int become(uid_t uid, gid_t gid) {
  for (int cap = 0; cap <= 63; cap++) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
      return -1;
    }
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
    return -1;
  }
  if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0) {
    return -1;
  }
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capset, &header, data) < 0) {
    return -1;
  }
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0 ||
      ruid != uid || euid != uid || suid != uid || rgid != gid || egid != gid || sgid != gid ||
      getgroups(0, NULL) != 0 || syscall(SYS_capget, &header, data) < 0 || data[0].permitted ||
      data[0].effective || data[0].inheritable || data[1].permitted || data[1].effective ||
      data[1].inheritable) {
    errno = EPERM;
    return -1;
  }
  for (int cap = 0; cap <= 63; cap++) {
    if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) > 0) {
      errno = EPERM;
      return -1;
    }
  }
  return 0;
}

/*
 * On the host, before bwrap: --launch [--as UID:GID] <bwrap args file> <cgroup.procs>... --
 * <command>. Moves this process into each cgroup before anything forks, so that no process of the
 * sandbox ever runs outside them, opens the args file as descriptor 3 for bwrap's --args, becomes
 * the sandbox's own host user when the control plane runs as root (what setpriv --reuid --regid
 * --clear-groups --inh-caps=-all --bounding-set=-all did), and execs the command. One exec where
 * /bin/sh, env(1) and setpriv took three (each 2-4 ms on a VM).
 */
static int launch(int argc, char **argv) {
  int at = 2;
  long uid = -1, gid = -1;
  if (at + 1 < argc && strcmp(argv[at], "--as") == 0) {
    char *end = NULL;
    uid = strtol(argv[at + 1], &end, 10);
    gid = *end == ':' ? strtol(end + 1, &end, 10) : -1;
    if (*end != '\0' || uid <= 0 || gid <= 0) {
      fprintf(stderr, "sbx-launch: --as wants UID:GID, not %s\n", argv[at + 1]);
      return 125;
    }
    at += 2;
  }
  if (at >= argc) {
    return 125;
  }
  const char *args_file = argv[at++];
  char pid[24];
  int pid_length = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
  for (; at < argc && strcmp(argv[at], "--") != 0; at++) {
    int fd = open(argv[at], O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, pid, (size_t)pid_length) != pid_length) {
      fprintf(stderr, "sbx-launch: cannot join %s: %s\n", argv[at], strerror(errno));
      return 125;
    }
    close(fd);
  }
  if (at + 1 >= argc) {
    return 125;
  }
  int fd = open(args_file, O_RDONLY);
  if (fd < 0 || (fd != 3 && (dup2(fd, 3) < 0 || close(fd) < 0))) {
    fprintf(stderr, "sbx-launch: cannot open %s: %s\n", args_file, strerror(errno));
    return 125;
  }
  if (uid > 0 && become((uid_t)uid, (gid_t)gid) < 0) {
    fprintf(stderr, "sbx-launch: cannot become %ld:%ld: %s\n", uid, gid, strerror(errno));
    return 125;
  }
  execvp(argv[at + 1], argv + at + 1);
  fprintf(stderr, "sbx-launch: cannot run %s: %s\n", argv[at + 1], strerror(errno));
  return 125;
}

/*
 * Inside a sandbox with network: --forward <port> <unix socket>. Listens on 127.0.0.1:<port>,
 * where the sandbox's HTTP_PROXY points, and carries each connection to the egress proxy through
 * the unix socket the control plane bound into the sandbox. It decides nothing: the proxy enforces
 * the policy on the far side. One thread, one epoll set, a 128 KiB buffer each way per connection
 * (32 KiB cost 12% of the sandbox's download rate through the proxy; 128 KiB, 2%);
 * an end of input on one side becomes an end of output on the other. Without it, the sandbox
 * starts EgressForwarder on the control plane's JDK: about 150 ms and 22 MB per sandbox.
 */
#define FORWARD_MAX_CONNECTIONS 1024
#define FORWARD_BUFFER (128 << 10)

struct half {
  char *buf; /* bytes read from this side, waiting to be written to the other */
  size_t off, len;
  int eof;      /* this side ended its output */
  int shutdown; /* the other side was told */
  int parked;   /* hung up with bytes still buffered: out of the epoll set until they are gone */
};

struct link {
  int fd[2]; /* 0: the sandbox's client, 1: the proxy */
  struct half half[2]; /* epoll data for side s: (struct link *) | s */
};

static int forward_epoll;
static int forward_open;

static void link_close(struct link *link) {
  for (int side = 0; side < 2; side++) {
    close(link->fd[side]);
    free(link->half[side].buf);
  }
  free(link);
  forward_open--;
}

/* Interest of each side: read while its buffer is empty, write while the other's holds bytes. */
static int link_update(struct link *link) {
  for (int side = 0; side < 2; side++) {
    struct half *in = &link->half[side];
    struct half *out = &link->half[1 - side];
    struct epoll_event event = {.events = 0, .data.u64 = (uint64_t)(uintptr_t)link | (uint64_t)side};
    if (!in->eof && in->len == in->off) {
      event.events |= EPOLLIN;
    }
    if (out->len > out->off) {
      event.events |= EPOLLOUT;
    }
    int op = EPOLL_CTL_MOD;
    if (in->parked) {
      if (in->len > in->off) {
        continue;
      }
      in->parked = 0;
      op = EPOLL_CTL_ADD;
    }
    if (epoll_ctl(forward_epoll, op, link->fd[side], &event) < 0) {
      return -1;
    }
  }
  return 0;
}

/* Moves what side `from` has buffered to the other side; -1 when the link is broken. */
static int link_flush(struct link *link, int from) {
  struct half *h = &link->half[from];
  int to = link->fd[1 - from];
  while (h->len > h->off) {
    ssize_t n = send(to, h->buf + h->off, h->len - h->off, MSG_NOSIGNAL);
    if (n < 0) {
      return errno == EAGAIN || errno == EINTR ? 0 : -1;
    }
    h->off += (size_t)n;
  }
  h->off = h->len = 0;
  if (h->eof && !h->shutdown) {
    shutdown(to, SHUT_WR);
    h->shutdown = 1;
  }
  return 0;
}

static int link_read(struct link *link, int side) {
  struct half *h = &link->half[side];
  ssize_t n = recv(link->fd[side], h->buf, FORWARD_BUFFER, 0);
  if (n < 0) {
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  }
  if (n == 0) {
    h->eof = 1;
  }
  h->off = 0;
  h->len = (size_t)n;
  return link_flush(link, side);
}

static void forward_accept(int server, const struct sockaddr_un *proxy) {
  for (;;) {
    int client = accept4(server, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) {
      return;
    }
    if (forward_open >= FORWARD_MAX_CONNECTIONS) {
      close(client);
      continue;
    }
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int upstream = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct link *link = calloc(1, sizeof *link);
    char *a = malloc(FORWARD_BUFFER), *b = malloc(FORWARD_BUFFER);
    if (upstream < 0 || link == NULL || a == NULL || b == NULL ||
        connect(upstream, (const struct sockaddr *)proxy, sizeof *proxy) < 0 ||
        fcntl(upstream, F_SETFL, O_NONBLOCK) < 0) {
      close(client);
      if (upstream >= 0) {
        close(upstream);
      }
      free(link);
      free(a);
      free(b);
      continue;
    }
    link->fd[0] = client;
    link->fd[1] = upstream;
    link->half[0].buf = a;
    link->half[1].buf = b;
    forward_open++;
    int added = 0;
    for (int side = 0; side < 2; side++) {
      struct epoll_event event = {.events = EPOLLIN,
                                  .data.u64 = (uint64_t)(uintptr_t)link | (uint64_t)side};
      added += epoll_ctl(forward_epoll, EPOLL_CTL_ADD, link->fd[side], &event) == 0;
    }
    if (added != 2) {
      link_close(link);
    }
  }
}

static int forward(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: sbx-init --forward <port> <unix socket>\n");
    return 64;
  }
  struct sockaddr_un proxy = {.sun_family = AF_UNIX};
  if (strlen(argv[3]) >= sizeof proxy.sun_path) {
    fprintf(stderr, "sbx-forward: socket path too long\n");
    return 64;
  }
  strcpy(proxy.sun_path, argv[3]);
  struct sockaddr_in address = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)atoi(argv[2])),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int server = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  forward_epoll = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event listen_event = {.events = EPOLLIN, .data.u64 = 0};
  if (server < 0 || forward_epoll < 0 ||
      setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      bind(server, (struct sockaddr *)&address, sizeof address) < 0 || listen(server, 512) < 0 ||
      epoll_ctl(forward_epoll, EPOLL_CTL_ADD, server, &listen_event) < 0) {
    fprintf(stderr, "sbx-forward: cannot listen on 127.0.0.1:%s: %s\n", argv[2], strerror(errno));
    return 71;
  }
  printf("listening\n");
  fflush(stdout);
  struct epoll_event events[64];
  for (;;) {
    int n = epoll_wait(forward_epoll, events, 64, -1);
    if (n < 0 && errno != EINTR) {
      return 71;
    }
    for (int i = 0; i < n; i++) {
      uint64_t data = events[i].data.u64;
      if (data == UINT64_MAX) {
        continue; /* a link closed earlier in this batch */
      }
      if (data == 0) {
        forward_accept(server, &proxy);
        continue;
      }
      struct link *link = (struct link *)(uintptr_t)(data & ~(uint64_t)1);
      int side = (int)(data & 1);
      int broken = 0;
      if (events[i].events & EPOLLOUT) {
        broken |= link_flush(link, 1 - side) < 0;
      }
      if (!broken && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
          link->half[side].len == link->half[side].off && !link->half[side].eof) {
        broken |= link_read(link, side) < 0;
      }
      if (!broken && (events[i].events & EPOLLERR)) {
        broken = 1;
      }
      struct half *in = &link->half[side];
      if (!broken && (events[i].events & EPOLLHUP) && !in->parked) {
        if (in->eof && in->len == in->off) {
          broken = !link->half[1 - side].shutdown || !in->shutdown;
        } else if (in->len > in->off) {
          /* epoll reports a hang-up whatever the interest: wait for the other side elsewhere. */
          broken = epoll_ctl(forward_epoll, EPOLL_CTL_DEL, link->fd[side], NULL) < 0;
          in->parked = 1;
        }
      }
      int done = link->half[0].shutdown && link->half[1].shutdown;
      if (broken || done || link_update(link) < 0) {
        /* Both ends may show up in this batch: forget the other's pending event. */
        for (int j = i + 1; j < n; j++) {
          if ((events[j].data.u64 & ~(uint64_t)1) == (uint64_t)(uintptr_t)link) {
            events[j].data.u64 = UINT64_MAX;
          }
        }
        link_close(link);
      }
    }
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--probe") == 0) {
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "--launch") == 0) {
    return launch(argc, argv);
  }
  if (argc > 1 && strcmp(argv[1], "--forward") == 0) {
    return forward(argc, argv);
  }
  prctl(PR_SET_DUMPABLE, 0);
  if (chdir(EXECS_DIR) < 0) {
    return 70;
  }
  /* No descriptor but the three standard ones may reach a command. */
  if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0) {
    for (int fd = 3; fd < 1024; fd++) {
      fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  }
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int signals = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signals < 0) {
    return 71;
  }
  report("ready\n");
  char buffer[MAX_LINE];
  size_t used = 0;
  int discarding = 0;
  /* The control channel, the signals, then each terminal's master and input (rebuilt each turn:
   * terminals come and go, and the children array moves when it grows). */
  struct pollfd *fds = NULL;
  size_t *owner = NULL;
  size_t fds_capacity = 0;
  for (;;) {
    if (fds_capacity < 2 + 2 * child_count) {
      fds_capacity = 2 + 2 * (child_capacity > child_count ? child_capacity : child_count);
      fds = realloc(fds, fds_capacity * sizeof *fds);
      owner = realloc(owner, fds_capacity * sizeof *owner);
      if (fds == NULL || owner == NULL) {
        return 71;
      }
    }
    fds[0] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
    fds[1] = (struct pollfd){.fd = signals, .events = POLLIN};
    nfds_t count = 2;
    for (size_t i = 0; i < child_count; i++) {
      struct child *c = &children[i];
      if (c->master < 0) {
        continue;
      }
      short events = c->master_done ? 0 : POLLIN;
      if (c->pending_off < c->pending_len) {
        events |= POLLOUT;
      }
      if (events != 0) {
        owner[count] = i;
        fds[count++] = (struct pollfd){.fd = c->master, .events = events};
      }
      if (c->input >= 0 && c->pending_off == c->pending_len) {
        owner[count] = i;
        fds[count++] = (struct pollfd){.fd = c->input, .events = POLLIN};
      }
    }
    if (poll(fds, count, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return 71;
    }
    for (nfds_t f = 2; f < count; f++) {
      if (fds[f].revents == 0) {
        continue;
      }
      struct child *c = &children[owner[f]];
      if (fds[f].fd == c->master) {
        if (fds[f].revents & (POLLIN | POLLHUP | POLLERR)) {
          relay_output(c, TTY_CHUNK * 4);
        }
        if (fds[f].revents & POLLOUT) {
          relay_input(c);
        }
      } else if (fds[f].fd == c->input) {
        relay_input(c);
      }
    }
    /* Reaped after the terminals were read: a child's end may close one. */
    if (fds[1].revents & POLLIN) {
      struct signalfd_siginfo info;
      while (read(signals, &info, sizeof info) > 0) {
      }
      reap();
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t got = read(STDIN_FILENO, buffer + used, sizeof buffer - used);
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0) {
        return 0;
      }
      used += (size_t)got;
      size_t begin = 0;
      for (size_t i = 0; i < used; i++) {
        if (buffer[i] == '\n') {
          buffer[i] = '\0';
          if (!discarding) {
            request(buffer + begin);
          }
          discarding = 0;
          begin = i + 1;
        }
      }
      memmove(buffer, buffer + begin, used - begin);
      used -= begin;
      if (used == sizeof buffer) {
        /* A line longer than any request: not the control plane's; skip to its end. */
        discarding = 1;
        used = 0;
      }
    }
  }
}
