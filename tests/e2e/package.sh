# SPDX-License-Identifier: MIT
# make install: DESTDIR and PREFIX honoured, and the installed wslctl finds its data
# and wslctl-net relative to itself (here, in a staging tree, and after a move).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/installed.sh"
export WSLCTL_CMD_EXE="$T/no-cmd.exe" WSLCTL_WSL_EXE="$T/no-wsl.exe"

top="$TESTS_DIR/.."
# Its own build dir (PREFIX=/usr compiles other paths in), and none of the calling
# make's variables: make sanitize passes SAN=1 in the environment too, and LeakSanitizer
# cannot run under the strace below.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top" --no-print-directory -j"$(nproc)" BUILD="$T/build" SAN= PREFIX=/usr \
	DESTDIR="$T/root" install >"$T/install.log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr"
else
	not_ok "make install failed: $(tail -5 "$T/install.log")"
fi
if strings "$T/root/usr/bin/wslctl" | grep -qx /usr/share/wslctl; then
	ok "PREFIX=/usr is compiled in as the data dir's last resort"
else
	not_ok "/usr/share/wslctl is not compiled into the installed wslctl"
fi
if [ -z "$(find "$T/root" -path "$T/root/usr" -prune -o -print | sed 1d)" ]; then
	ok "nothing installed outside DESTDIR/PREFIX"
else
	not_ok "installed outside /usr: $(find "$T/root" -path "$T/root/usr" -prune -o -print | sed 1d)"
fi
check_installed "$T/root" staged

# A moved tree still works: nothing depends on where it was installed.
mkdir -p "$T/moved"
mv "$T/root/usr" "$T/moved/usr"
check_installed "$T/moved" moved

# make uninstall takes back every file make install put there.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top" --no-print-directory BUILD="$T/build" \
	PREFIX=/usr DESTDIR="$T/moved" uninstall >"$T/uninstall.log" 2>&1; then
	ok "make uninstall DESTDIR=... PREFIX=/usr"
else
	not_ok "make uninstall failed: $(tail -5 "$T/uninstall.log")"
fi
left=$(find "$T/moved" ! -type d)
if [ -z "$left" ]; then ok "make uninstall left no file behind"
else not_ok "make uninstall left: $left"; fi
