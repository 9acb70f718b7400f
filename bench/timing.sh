# SPDX-License-Identifier: MIT
# Sourced by the build benchmarks: wall-clock timing of shell commands, interleaved.
now() { python3 -c 'import time; print(time.monotonic())'; }
# timed CMD...: runs CMD and prints how many seconds it took.
timed() { _t0=$(now); "$@"; _t1=$(now); python3 -c "print('%.3f' % ($_t1 - $_t0))"; }
# pair N A B: times the commands A and B (strings, run by eval), A first when N is even,
# so that a drift in the machine's load favours neither; prints "seconds_A seconds_B".
# Assign its output (t=$(pair ...)) so that a failing command stops a `set -e` script.
pair() {
	if [ $(($1 % 2)) -eq 0 ]; then
		_a=$(timed eval "$2")
		_b=$(timed eval "$3")
	else
		_b=$(timed eval "$3")
		_a=$(timed eval "$2")
	fi
	echo "$_a $_b"
}
median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
sum() { tr ' ' '\n' | awk '{ s += $1 } END { printf "%.3f", s }'; }
