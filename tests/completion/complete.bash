# SPDX-License-Identifier: MIT
# Prints what bash completion offers for a command line, one match per line.
# usage: bash complete.bash COMPLETION_FILE LINE   (the cursor is at the end of LINE)
# bash-completion's own library is loaded, as on a user's machine.
. /usr/share/bash-completion/bash_completion
. "$1"
line=$2
COMP_LINE=$line
COMP_POINT=${#line}
read -ra COMP_WORDS <<<"$line"
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
# compopt only works inside a real completion; here it would only complain.
compopt() { :; }
_wslctl wslctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
[[ ${#COMPREPLY[@]} -gt 0 ]] && printf '%s\n' "${COMPREPLY[@]}"
exit 0
