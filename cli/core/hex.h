/* SPDX-License-Identifier: MIT */
/* Hexadecimal digits. */
#ifndef WSLCTL_HEX_H
#define WSLCTL_HEX_H

/* The value of the hex digit CH (either case), -1 for any other character. */
int hexval(int ch);

#endif
