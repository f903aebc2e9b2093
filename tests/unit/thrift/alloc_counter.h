#pragma once
// Peak heap use (through operator new) of a block of code: the decoder must never allocate
// more than a small multiple of its input, whatever sizes the input claims.

#include <cstddef>

namespace adbcfault::thrift::test {

// Starts counting from zero; returns the peak bytes live above the level at start.
void start_counting_allocations();
std::size_t peak_allocated_bytes();

}  // namespace adbcfault::thrift::test
