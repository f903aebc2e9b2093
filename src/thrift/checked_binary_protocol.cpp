#include "thrift/checked_binary_protocol.h"

#include <thrift/protocol/TProtocolException.h>

#include <string>

#include "thrift/wire_type.h"

namespace adbcfault::thrift {

namespace {

using ::apache::thrift::protocol::TMessageType;
using ::apache::thrift::protocol::TProtocolException;
using ::apache::thrift::protocol::TType;
namespace tp = ::apache::thrift::protocol;

constexpr uint32_t kVersionMask = 0xffff0000;
constexpr uint32_t kVersion1 = 0x80010000;

TType checked_type(int8_t raw, const char* what) {
  if (!is_value_type(raw)) {
    throw TProtocolException(TProtocolException::INVALID_DATA,
                             std::string("invalid ") + what + " type " + std::to_string(raw));
  }
  return static_cast<TType>(raw);
}

// An empty container's declared types are never used; generated readers accept any byte there.
TType checked_type(int8_t raw, const char* what, uint32_t size) {
  return size == 0 && !is_value_type(raw) ? tp::T_STOP : checked_type(raw, what);
}

}  // namespace

uint32_t CheckedBinaryProtocol::readMessageBegin_virt(std::string& name, TMessageType& type,
                                                      int32_t& seqid) {
  int32_t first = 0;
  uint32_t result = readI32(first);
  int raw_type = 0;
  if (first < 0) {
    if ((static_cast<uint32_t>(first) & kVersionMask) != kVersion1) {
      throw TProtocolException(TProtocolException::BAD_VERSION, "Bad version identifier");
    }
    raw_type = static_cast<int>(static_cast<uint32_t>(first) & 0xff);
    result += readString(name);
  } else {
    // Old style: the first word is the method name's length, the type byte follows the name.
    result += readStringBody(name, first);
    int8_t type_byte = 0;
    result += readByte(type_byte);
    raw_type = static_cast<uint8_t>(type_byte);
  }
  result += readI32(seqid);
  type = raw_type >= tp::T_CALL && raw_type <= tp::T_ONEWAY ? static_cast<TMessageType>(raw_type)
                                                            : static_cast<TMessageType>(0);
  return result;
}

uint32_t CheckedBinaryProtocol::readFieldBegin_virt(std::string& /*name*/, TType& type,
                                                    int16_t& id) {
  int8_t raw = 0;
  uint32_t result = readByte(raw);
  if (raw == tp::T_STOP) {
    type = tp::T_STOP;
    id = 0;
    return result;
  }
  type = checked_type(raw, "field");
  result += readI16(id);
  return result;
}

uint32_t CheckedBinaryProtocol::read_container_size(uint32_t& size) {
  int32_t raw = 0;
  const uint32_t result = readI32(raw);
  if (raw < 0) throw TProtocolException(TProtocolException::NEGATIVE_SIZE);
  if (container_limit_ && raw > container_limit_) {
    throw TProtocolException(TProtocolException::SIZE_LIMIT);
  }
  size = static_cast<uint32_t>(raw);
  return result;
}

uint32_t CheckedBinaryProtocol::readMapBegin_virt(TType& key, TType& value, uint32_t& size) {
  int8_t raw_key = 0;
  int8_t raw_value = 0;
  uint32_t result = readByte(raw_key);
  result += readByte(raw_value);
  result += read_container_size(size);
  key = checked_type(raw_key, "map key", size);
  value = checked_type(raw_value, "map value", size);
  ::apache::thrift::protocol::TMap map(key, value, size);
  checkReadBytesAvailable(map);
  return result;
}

uint32_t CheckedBinaryProtocol::readListBegin_virt(TType& element, uint32_t& size) {
  int8_t raw = 0;
  uint32_t result = readByte(raw);
  result += read_container_size(size);
  element = checked_type(raw, "element", size);
  ::apache::thrift::protocol::TList list(element, size);
  checkReadBytesAvailable(list);
  return result;
}

uint32_t CheckedBinaryProtocol::readSetBegin_virt(TType& element, uint32_t& size) {
  return readListBegin_virt(element, size);
}

}  // namespace adbcfault::thrift
