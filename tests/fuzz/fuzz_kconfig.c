// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the kernel config reader and the fragment parser on any bytes.
 * The input is read as a .config from memory and from a file (plain, or gzip when it
 * starts with the gzip magic, as /proc/config.gz), and as a kernel-config/ fragment
 * whose requirements are then judged against the config. Property: memory and file
 * readings of plain text agree on every option the fragment names.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kconfig.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "property failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static const char *names[] = { "VIRTIO_FS", "CONFIG_PCI_HYPERV", "SWIOTLB_DYNAMIC",
			       "LOCALVERSION", "", "CONFIG_", "X" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir;
	char cfgpath[128], fragpath[128], buf[256];
	struct kconfig *mem = NULL, *file = NULL;
	struct kconfig_reqs reqs = { 0 };
	struct error err = { 0 };
	bool gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	FILE *f;

	dir = fuzz_scratch("kconfig");
	snprintf(cfgpath, sizeof(cfgpath), "%s/config", dir);
	snprintf(fragpath, sizeof(fragpath), "%s/frag.config", dir);
	for (int i = 0; i < 2; i++) {
		f = fopen(i ? fragpath : cfgpath, "wb");
		CHECK(f);
		CHECK(size == 0 || fwrite(data, 1, size, f) == size);
		CHECK(fclose(f) == 0);
	}

	if (!gz && kconfig_parse((const char *)data, size, "fuzz", &mem, &err) == 0)
		CHECK(kconfig_count(mem) > 0);
	memset(&err, 0, sizeof(err));
	if (kconfig_load_file(cfgpath, &file, &err) == 0)
		CHECK(kconfig_count(file) > 0);
	if (!gz)
		CHECK(!mem == !file);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v1 = NULL, *v2 = NULL;
		enum kconfig_state s1 = mem ? kconfig_get(mem, names[i], &v1) : KCONFIG_ABSENT;
		enum kconfig_state s2 = file ? kconfig_get(file, names[i], &v2) : KCONFIG_ABSENT;

		if (!gz) {
			CHECK(s1 == s2);
			CHECK(!v1 == !v2 && (!v1 || !strcmp(v1, v2)));
		}
		kconfig_state_text(s2, v2, buf, sizeof(buf));
	}

	memset(&err, 0, sizeof(err));
	if (kconfig_fragment_load(fragpath, &reqs, &err) == 0) {
		for (size_t i = 0; i < reqs.n; i++) {
			const struct kconfig_req *r = &reqs.v[i];
			const char *v1 = NULL, *v2 = NULL;

			CHECK(r->name && r->value && r->file && r->line > 0);
			kconfig_need_text(r->need);
			if (file) {
				kconfig_req_met(r, file, KCONFIG_RUNTIME);
				kconfig_req_met(r, file, KCONFIG_BUILD);
			}
			if (mem && file && !gz) {
				CHECK(kconfig_get(mem, r->name, &v1) == kconfig_get(file, r->name, &v2));
				CHECK(kconfig_req_met(r, mem, KCONFIG_BUILD) ==
				      kconfig_req_met(r, file, KCONFIG_BUILD));
			}
		}
	}
	kconfig_reqs_free(&reqs);
	kconfig_free(mem);
	kconfig_free(file);
	return 0;
}
