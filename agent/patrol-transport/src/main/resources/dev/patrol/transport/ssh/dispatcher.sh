# Patrol's command dispatcher: runs on the target as /bin/sh -c '<this file as one line>' over one exec channel,
# and runs every command the agent sends it, concurrently, each in /bin/sh -c of its own.
# Joined into one line by DispatcherScript: every line ends where a space may follow (after ; { do then in ;; &),
# comments are whole lines, and the text holds no single quote, tab, double backslash or exclamation mark but $!, so
# any login shell (sh, bash, zsh, fish, csh; none expands history when not interactive) passes it to /bin/sh unchanged
# inside single quotes.
#
# Requests on stdin, one line each, then the command's lines:
#   R <id> <lines> <cap>   the command, as <lines> newline-terminated lines; at most <cap> bytes of each output back
#   K <id>                 SIGKILL the command's process group (its process alone without setsid)
# Replies on stdout, written only by the writer w, which serialises them:
#   PATROL-DISPATCH 1                                   once, when ready
#   D <id> <status> <out> <err> <outsent> <errsent>     then <outsent> bytes of stdout and <errsent> of stderr
#   k <id>                                              a kill request was handled
# Every process forked on the target costs its CPU (a few ms each on small VMs), so a command costs as few as its
# framing allows: the command's own shell (through setsid), the subshell that waits for it, and one wc for its output's
# length. A one-line output (most checks') is sent by the shell's own printf, only other outputs by cat or dd, and
# finished commands' files are removed 64 at a time (at once when an output was over its cap, so that a flood does
# not stay on the target's disk). The line is the whole output when read found its newline and its
# length in bytes plus that newline is the file's: a NUL byte, which the shell drops, makes the lengths differ.
umask 077;
d=$(mktemp -d "${TMPDIR:-/tmp}/patrol-dispatch.XXXXXX") || exit 97;
# On the way out (the agent closed the channel, or a signal), the commands still running are killed too.
c() {
  for f in "$d"/*.p; do
    p=;
    if [ -f "$f" ]; then read -r p <"$f"; fi;
    if [ -n "$p" ]; then kill -s KILL -- "-$p" 2>/dev/null || kill -s KILL "$p" 2>/dev/null; fi;
  done;
  rm -rf "$d";
};
trap c EXIT;
trap "exit 1" HUP INT TERM PIPE;
mkfifo "$d/q" || exit 97;
S=;
if command -v setsid >/dev/null 2>&1; then S=setsid; fi;
NL=$(printf "x\nx"); NL=${NL#x}; NL=${NL%x};
s() { if [ "$2" -le "$3" ]; then l=; if IFS= read -r l <"$1" && [ $((${#l} + 1)) -eq "$2" ]; then printf "%s\n" "$l"; else cat "$1"; fi; else dd if="$1" bs=4096 count=$(($3 / 4096)) 2>/dev/null; dd if="$1" bs=1 skip=$(($3 / 4096 * 4096)) count=$(($3 % 4096)) 2>/dev/null; fi; };
# The writer counts bytes, not characters (LC_ALL only in its own process: the commands keep the user's locale).
w() {
  LC_ALL=C; g=; n=0;
  echo PATROL-DISPATCH 1;
  while read -r t i x c; do
    case $t in
      D) o=0; e=0;
        if [ -s "$i.o" ]; then set -- $(wc -c <"$i.o"); o=$1; fi;
        if [ -s "$i.e" ]; then set -- $(wc -c <"$i.e"); e=$1; fi;
        echo "D $i $x $o $e $((o < c ? o : c)) $((e < c ? e : c))";
        if [ "$o" -gt 0 ]; then s "$i.o" "$o" "$c"; fi;
        if [ "$e" -gt 0 ]; then s "$i.e" "$e" "$c"; fi;
        if [ "$o" -gt "$c" ] || [ "$e" -gt "$c" ]; then rm -f "$i.o" "$i.e" "$i.p"; else g="$g $i.o $i.e $i.p"; n=$((n + 1)); fi;
        if [ "$n" -ge 64 ]; then rm -f $g; g=; n=0; fi;;
      k) echo "k $i";;
    esac;
  done;
};
(cd "$d" && w) <"$d/q" &
exec 4>"$d/q";
while read -r t i n c; do
  case $t in
    R) x=; j=0;
      while [ "$j" -lt "$n" ]; do IFS= read -r l || exit 0; x="$x$l$NL"; j=$((j + 1)); done;
      (
        $S /bin/sh -c "$x" </dev/null >"$d/$i.o" 2>"$d/$i.e" 4>&- &
        echo $! >"$d/$i.p";
        wait $!; r=$?;
        : >"$d/$i.p";
        echo "D $i $r $c" >&4
      ) </dev/null >/dev/null 2>&1 &
      ;;
    K) p=;
      if [ -f "$d/$i.p" ]; then read -r p <"$d/$i.p"; fi;
      if [ -n "$p" ]; then
        if [ -n "$S" ]; then kill -s KILL -- "-$p" 2>/dev/null || kill -s KILL "$p" 2>/dev/null; else kill -s KILL "$p" 2>/dev/null; fi;
      fi;
      echo "k $i" >&4;;
  esac;
done
