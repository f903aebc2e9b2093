#pragma once
// Which Thrift type ids may appear on the wire as a value. T_STOP and T_VOID carry no bytes, and
// ids past T_LIST are not types in any protocol version we read; accepting either would let a
// hostile container loop without consuming input.

#include <thrift/protocol/TProtocol.h>

namespace adbcfault::thrift {

constexpr bool is_value_type(int type_id) {
  namespace tp = ::apache::thrift::protocol;
  switch (type_id) {
    case tp::T_BOOL:
    case tp::T_BYTE:
    case tp::T_DOUBLE:
    case tp::T_I16:
    case tp::T_I32:
    case tp::T_I64:
    case tp::T_STRING:
    case tp::T_STRUCT:
    case tp::T_MAP:
    case tp::T_SET:
    case tp::T_LIST:
      return true;
    default:
      return false;
  }
}

}  // namespace adbcfault::thrift
