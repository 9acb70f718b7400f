# SPDX-License-Identifier: MIT
# config validate: WSL's warnings with WSL's line numbers, wslctl's notices, exit 0/1/3.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/json-lib.sh"
FX="$TESTS_DIR/fixtures/wslconfig"
cp "$FX/messy.wslconfig" "$T/messy"

run --json --wslconfig "$T/messy" config validate
expect_rc 1 "a file WSL warns about validates with exit 1"
expect_json '[(d["line"],d["code"]) for d in j["diagnostics"] if d["severity"]!="notice"]==[(1,"invalid-key"),(3,"invalid-size"),(4,"invalid-escape"),(6,"expected-bracket"),(7,"unknown-key"),(11,"duplicate-key"),(13,"duplicate-key")]' \
	"every WSL warning, on WSL's line, with docs/wslconfig.md's code"
expect_json 'any(d["code"]=="shadowed-duplicate" and d["line"]==13 and d["severity"]=="notice" for d in j["diagnostics"])' \
	"a shadowed duplicate with another value is a notice"
expect_json 'j["ok"] is False and j["file"].endswith("messy") and all(set(d)=={"line","severity","code","key","message"} for d in j["diagnostics"])' \
	"validate --json has docs/cli.md's shape"
run --wslconfig "$T/messy" config validate
expect_contains "$out" "$T/messy:4: warning: " "text output reads like a compiler's"
expect_contains "$out" "[invalid-escape]" "and ends with the code"

run --json --wslconfig "$FX/docs-sample-crlf.wslconfig" config validate
expect_rc 1 "the documentation's sample has a key WSL no longer knows"
expect_json '[(d["line"],d["code"]) for d in j["diagnostics"] if d["severity"]!="notice"]==[(19,"unknown-key")]' \
	"pageReporting is the one unknown key"

printf '[wsl2]\r\nmemory=4GB\r\nkernel=C:\\\\k\\\\bzImage\r\nkernelModules=C:\\\\k\\\\modules.vhd\r\n' >"$T/good"
mkdir -p "$T/goodroot/mnt/c/k"
touch "$T/goodroot/mnt/c/k/bzImage" "$T/goodroot/mnt/c/k/modules.vhd"
run --json --root "$T/goodroot" --wslconfig "$T/good" config validate
expect_rc 0 "a clean file validates with exit 0"
expect_json 'j["ok"] is True and j["diagnostics"]==[]' "and has no diagnostics"

printf '[wsl2]\nkernelModules=C:\\\\k\\\\modules.vhd\nmacAddress=00:11:22\nswapFile=C:\\\\temp\\tswap.vhdx\n' >"$T/errs"
run --json --wslconfig "$T/errs" config validate
expect_rc 1 "errors validate with exit 1"
expect_json '{(d["code"],d["severity"]) for d in j["diagnostics"]}>={("modules-without-kernel","error"),("invalid-mac","error"),("escape-changes-value","notice")}' \
	"WSL's start-up errors are errors, the silent TAB a notice"

mkdir -p "$T/root/mnt/c/k"
printf '[wsl2]\nkernel=C:\\\\k\\\\bzImage\n' >"$T/kern"
run --json --root "$T/root" --wslconfig "$T/kern" config validate
expect_rc 1 "a kernel= file missing from its mounted drive fails validation"
expect_json 'any(d["code"]=="kernel-not-found" and d["line"]==2 and d["severity"]=="error" for d in j["diagnostics"])' \
	"a kernel= file that is not on the mounted drive is an error (WSL will not start)"
touch "$T/root/mnt/c/k/bzImage"
run --json --root "$T/root" --wslconfig "$T/kern" config validate
expect_json 'not any(d["code"]=="kernel-not-found" for d in j["diagnostics"])' "and goes away once the file is there"

run --json --wslconfig "$T/none" config validate
expect_rc 0 "a missing file validates clean"
expect_json 'j["ok"] is True and [d["severity"] for d in j["diagnostics"]]==["notice"]' "with a notice"

printf '\376\377\000[' >"$T/be"
run --json --wslconfig "$T/be" config validate
expect_rc 3 "an undecodable file exits 3"
expect_contains "$out" '"invalid-file"' "as invalid-file"

# wsl.conf: the first invalid line ends WSL's parsing.
mkdir -p "$T/etc"
printf '[boot]\nsystemd=true\n[automount]\noptions = "metadata\n[network]\nhostname=box\n' >"$T/etc/wsl.conf"
run --json config validate --file "$T/etc/wsl.conf"
expect_rc 1 "wsl.conf with an invalid line validates with exit 1"
expect_json '[(d["line"],d["code"]) for d in j["diagnostics"]]==[(4,"unclosed-quote"),(4,"parsing-stops"),(6,"ignored-key")]' \
	"validate names the keys WSL ignores after the line that stops it"
run config get network.hostname --file "$T/etc/wsl.conf"
expect_out "" "a key after the stop reads as absent"
run config set network.hostname other --file "$T/etc/wsl.conf"
expect_rc 3 "set refuses a key WSL would never read"
expect_contains "$err" "wsl.conf:4" "and names the line to fix"
