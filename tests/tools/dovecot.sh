#!/bin/bash
# A throw-away Dovecot IMAP server for tests: its own config, state, logs and maildirs under a
# directory of its own, listening on a free loopback port, plaintext login without TLS. It never
# reads or writes the system's /etc/dovecot, /run/dovecot or /var/lib/dovecot.
#
#   tests/tools/dovecot.sh start DIR USER PASSWORD   prints the port; mail of USER goes to DIR/mail/USER
#   tests/tools/dovecot.sh deliver DIR USER FILE     drops FILE (an RFC 5322 message) into USER's new/
#   tests/tools/dovecot.sh stop DIR                  stops it (the directory is left for the caller)
#
# Needs Debian's dovecot-imapd (scripts/install-deps.sh). Runs as root here: the master process
# stays root, mail processes run as the dovecot user (which owns the maildirs), logins as dovenull.
set -eu

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR USER PASSWORD | deliver DIR USER FILE | stop DIR" >&2; exit 2; }

case "$cmd" in
start)
  user=${3:?user}
  password=${4:?password}
  command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || { echo "dovecot is not installed" >&2; exit 3; }
  DOVECOT=$(command -v dovecot 2>/dev/null || echo /usr/sbin/dovecot)
  dir=$(cd "$dir" && pwd)
  mkdir -p "$dir/run" "$dir/state" "$dir/mail/$user/cur" "$dir/mail/$user/new" "$dir/mail/$user/tmp"
  # Dovecot's unprivileged helpers (anvil, stats, login) must reach the socket directory; the
  # mail processes run as the dovecot user (Dovecot refuses mail access as root).
  chmod 755 "$dir" "$dir/run"
  chown -R dovecot:dovecot "$dir/mail"
  # A free port: bind port 0 and keep what the kernel chose.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
         node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  printf '%s:{PLAIN}%s:::%s::\n' "$user" "$password" "$dir/mail/$user" > "$dir/users"
  cat > "$dir/dovecot.conf" <<EOF
instance_name = aftersales-test-$port
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
first_valid_gid = 0
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
mail_location = maildir:$dir/mail/%u
mail_fsync = never
mail_uid = dovecot
mail_gid = dovecot
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $dir/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
EOF
  # The daemon must not keep our stdout/stderr open: callers wait for them to close.
  "$DOVECOT" -c "$dir/dovecot.conf" </dev/null >>"$dir/dovecot.log" 2>&1 || { cat "$dir/dovecot.log" >&2 2>/dev/null; exit 4; }
  # Wait until it accepts connections.
  i=0
  while [ $i -lt 50 ]; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      exit 0
    fi
    i=$((i + 1))
    sleep 0.1
  done
  echo "dovecot did not start listening on $port" >&2
  cat "$dir/dovecot.log" >&2 2>/dev/null || true
  "$DOVECOT" -c "$dir/dovecot.conf" stop </dev/null >/dev/null 2>&1 || true
  exit 4
  ;;
deliver)
  user=${3:?user}
  file=${4:?file}
  maildir="$dir/mail/$user"
  name="$(date +%s).$$_$RANDOM.aftersales-test"
  cp "$file" "$maildir/tmp/$name"
  chown dovecot:dovecot "$maildir/tmp/$name"
  mv "$maildir/tmp/$name" "$maildir/new/$name"
  ;;
stop)
  [ -f "$dir/dovecot.conf" ] || exit 0
  DOVECOT=$(command -v dovecot 2>/dev/null || echo /usr/sbin/dovecot)
  pidfile="$dir/run/master.pid"
  pid=$(cat "$pidfile" 2>/dev/null || true)
  "$DOVECOT" -c "$dir/dovecot.conf" stop </dev/null >/dev/null 2>&1 || { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }
  # Wait for the master (and with it its children) to go.
  i=0
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
    i=$((i + 1))
    sleep 0.1
  done
  ;;
*)
  echo "usage: $0 start DIR USER PASSWORD | deliver DIR USER FILE | stop DIR" >&2
  exit 2
  ;;
esac
