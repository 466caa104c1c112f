/* SPDX-License-Identifier: MIT */
/* Standard output of every verb: lines escaped as sriov_escape_printf() does. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

void cli_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sriov_escape_vprintf(stdout, fmt, ap);
	va_end(ap);
}
