// SPDX-License-Identifier: GPL-2.0
/* ring_loss.c without the drop counter: a program whose ring buffer losses nothing counts. */
#define NO_COUNT
#include "ring_loss.c"
