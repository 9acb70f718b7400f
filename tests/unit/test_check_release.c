// SPDX-License-Identifier: MIT
/* Which kernel releases are Microsoft's WSL tree (krelease_is_microsoft), on names seen on
 * real machines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "krelease.h"

/* RELEASE is custom and WHY contains TEXT. */
static void custom(const char *release, const char *text)
{
	char why[160] = "";

	assert_false(krelease_is_microsoft(release, why, sizeof(why)));
	if (!strstr(why, text))
		fail_msg("%s: reason '%s' lacks '%s'", release, why, text);
}

static void test_microsoft_tree(void **state)
{
	(void)state;
	assert_true(krelease_is_microsoft("6.18.26.3-microsoft-standard-WSL2", NULL, 0));
	assert_true(krelease_is_microsoft("6.6.87.2-microsoft-standard-WSL2", NULL, 0));
	assert_true(krelease_is_microsoft("5.15.90.1-microsoft-standard-WSL2", NULL, 0));
	assert_true(krelease_is_microsoft("6.18.100.10-microsoft-standard-WSL2", NULL, 0));
}

static void test_named_like_microsoft(void **state)
{
	(void)state;
	/* An Arch build, mainline 6.1.6 and a self-built 5.19 with Microsoft's config. */
	custom("7.0.13-arch1-1-wsl-microsoft-standard-WSL2", "Microsoft's LOCALVERSION");
	custom("6.1.6-microsoft-standard-WSL2", "three numeric parts");
	custom("5.19.0-microsoft-standard-WSL2+", "three numeric parts");
	/* Microsoft's own old releases had three parts: called custom, failing either way. */
	custom("4.19.104-microsoft-standard", "three numeric parts");
	custom("5.4.72-microsoft-standard-WSL2", "three numeric parts");
	/* Microsoft's version with local changes, or anything after -WSL2. */
	custom("6.18.26.3-microsoft-standard-WSL2+", "'+' after -WSL2");
	custom("5.15.153.1-microsoft-standard-WSL2+", "'+' after -WSL2");
	custom("6.18.26.3-microsoft-standard-WSL2-rt", "'-rt' after -WSL2");
	custom("6.18.26.3.1-microsoft-standard-WSL2", "LOCALVERSION");
	custom("6.18.26-3-microsoft-standard-WSL2", "LOCALVERSION");
	custom("6.18.26.3-Microsoft-standard-WSL2", "not N.N.N.N-microsoft-standard-WSL2");
	custom("6.19.3-WSL2-ck", "not N.N.N.N-microsoft-standard-WSL2");
	custom("4.4.0-19041-Microsoft", "not N.N.N.N-microsoft-standard-WSL2");
	custom("", "not N.N.N.N");
	custom("6.18.26.3.-microsoft-standard-WSL2", "LOCALVERSION");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_microsoft_tree),
		cmocka_unit_test(test_named_like_microsoft),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
