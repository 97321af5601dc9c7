/* solo_types.h: compatibility name for BumbleBee programs.
 *
 * BumbleBee's header declared ipv6_addr as a u32 by mistake; bee's is the
 * 16-byte address, which is what IPv6 programs need.
 */
#ifndef __SOLO_TYPES_H
#define __SOLO_TYPES_H
#include "bee_types.h"
#endif /* __SOLO_TYPES_H */
