/* SPDX-License-Identifier: MIT */
/*
 * The old names of wslexe.h, for cmd_update.c alone while another change splits it:
 * once it includes wslexe.h and calls wslexe_available, wslexe_version and
 * wslexe_update, delete this file.
 */
#ifndef WSLCTL_PLATFORM_H
#define WSLCTL_PLATFORM_H

#include "wslexe.h"

static inline bool platform_available(const char *root)
{
	return wslexe_available(root);
}

static inline int platform_wsl_version(char *buf, size_t n)
{
	return wslexe_version(buf, n);
}

static inline int platform_update(bool pre_release, struct error *err)
{
	return wslexe_update(pre_release, err);
}

#endif
