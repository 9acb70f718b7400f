# SPDX-License-Identifier: MIT
# Sourced by shell tests after "$TESTS_DIR/lib.sh": starts and stops tests/server/server.py.
#   server_start [server.py options...]   starts one; sets SERVER_PID, SERVER_PORT,
#                                          SERVER_URL (http[s]://127.0.0.1:PORT) and
#                                          SERVER_LOG ($T/server-N.log, JSON lines)
#   server_stop                            stops every server this script started
#   server_tls DIR                         makes a CA + server cert (tests/server/mkcert.sh)
# Servers are stopped on exit as well (the EXIT trap of lib.sh is extended).
SERVER_DIR="$TESTS_DIR/server"
_server_pids=""
_server_n=0

server_stop() {
	for p in $_server_pids; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	_server_pids=""
}
trap 'server_stop; rm -rf "$T"' EXIT INT TERM

server_tls() {
	sh "$SERVER_DIR/mkcert.sh" "$1"
}

server_start() {
	_server_n=$((_server_n + 1))
	SERVER_LOG="$T/server-$_server_n.log"
	_pf="$T/server-$_server_n.port"
	: >"$SERVER_LOG"
	python3 "$SERVER_DIR/server.py" --log "$SERVER_LOG" --port-file "$_pf" "$@" >/dev/null &
	SERVER_PID=$!
	_server_pids="$_server_pids $SERVER_PID"
	_i=0
	while [ ! -s "$_pf" ]; do
		_i=$((_i + 1))
		if [ "$_i" -gt 200 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "server_start: server.py did not start" >&2
			return 1
		fi
		sleep 0.05
	done
	SERVER_PORT=$(cat "$_pf")
	case " $* " in
	*" --tls "*) SERVER_URL="https://127.0.0.1:$SERVER_PORT" ;;
	*) SERVER_URL="http://127.0.0.1:$SERVER_PORT" ;;
	esac
}
