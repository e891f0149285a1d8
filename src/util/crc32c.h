/*
** crc32c.h -- CRC-32C (Castagnoli), the checksum of snapshot sections.
**
** crc32c(crc32c(0, a, n), b, m) is the CRC of a followed by b, so a
** checksum can be computed piece by piece as bytes are written or read.
*/
#ifndef INRO_CRC32C_H
#define INRO_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* The CPU's CRC-32C instruction where it has one, else the portable code. */
uint32_t crc32c(uint32_t crc, const uint8_t *data, size_t len);
/* The same function in standard C only. */
uint32_t crc32c_portable(uint32_t crc, const uint8_t *data, size_t len);
/* What crc32c uses: the name of the instruction set, or NULL (portable). */
const char *crc32c_hardware(void);

#endif
