/*
** crc32c.h -- CRC-32C (Castagnoli), the checksum of snapshot sections.
*/
#ifndef INRO_CRC32C_H
#define INRO_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c(uint32_t crc, const uint8_t *data, size_t len);

#endif
