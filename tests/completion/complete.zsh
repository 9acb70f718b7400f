# Prints what zsh's completion offers for a command line, one match per line.
# usage: zsh complete.zsh COMPLETION_DIR LINE
# ZCOMPDUMP=FILE keeps compinit's dump between calls (much faster).
# ZDESCRIBE=1 prints the lines zsh would show (match and description) instead.
# It types LINE and a TAB into an interactive zsh on a pseudo-terminal; compadd is
# wrapped to print the matches it is given (after zsh's own prefix matching).
zmodload zsh/zpty || exit 2
dumpopt=(-D)
[[ -n ${ZCOMPDUMP:-} ]] && dumpopt=(-d $ZCOMPDUMP)
rc=$(mktemp "${TMPDIR:-/tmp}/complete-zsh.XXXXXX")
trap 'rm -f $rc' EXIT
cat >$rc <<SETUP
PS1='' PROMPT_EOL_MARK=''
fpath=(${(q)1} \$fpath)
autoload -U compinit && compinit -u ${(j: :)${(q)dumpopt}}
bindkey '^I' complete-word
compadd() {
	if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
		builtin compadd "\$@"
		return
	fi
	local -a m d
	local x i=\${@[(I)-d]}
	builtin compadd -A m "\$@"
	for x in \$m; do print -r -- "@@M \$x"; done
	# -d NAME: the lines shown for the matches (option and description).
	if (( i )) && [[ \${@[i+1]} != \(* ]]; then
		d=("\${(@P)\${@[i+1]}}")
		for x in \$d; do print -r -- "@@D \$x"; done
	fi
}
_complete_done() { print -r -- '@@END'; exit }
comppostfuncs=(_complete_done)
SETUP
zpty z zsh -f -i
zpty -w z "source ${(q)rc}"
zpty -w -n z "$2"$'\t'
out='' chunk=''
integer idle=0
# Read until the marker, giving up after about 10 s of silence.
while (( idle < 1000 )); do
	if zpty -r -t z chunk 2>/dev/null; then
		out+=$chunk
		[[ $out == *'@@END'* ]] && break
	else
		(( idle++ ))
		sleep 0.01
	fi
done
zpty -d z
if [[ -n ${ZDESCRIBE:-} ]]; then
	print -r -- "${out//$'\r'/}" | sed -n 's/.*@@D //p'
else
	print -r -- "${out//$'\r'/}" | sed -n 's/.*@@M //p'
fi
