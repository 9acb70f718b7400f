/* SPDX-License-Identifier: MIT */
/* Help texts, kept beside each other so `wslctl` can show them without wslctl-net. */
#ifndef WSLCTL_HELP_H
#define WSLCTL_HELP_H

extern const char help_enable[], help_disable[], help_config[], help_check[];
extern const char help_update[], help_kernel[], help_build[];
extern const char help_bench[];

#endif
