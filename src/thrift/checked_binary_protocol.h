#pragma once
// TBinaryProtocol for untrusted bytes. The stock reader casts any wire byte straight to the
// TType / TMessageType enums, which is undefined behaviour for values outside them (UBSan flags
// it on hostile input). This subclass reads the same bytes and rejects bad type ids before the
// cast; everything else, including the size limits, is the stock reader.

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

namespace adbcfault::thrift {

class CheckedBinaryProtocol : public ::apache::thrift::protocol::TBinaryProtocolT<
                                  ::apache::thrift::transport::TMemoryBuffer> {
 public:
  using TBinaryProtocolT::TBinaryProtocolT;

  // A message type outside call/reply/exception/oneway comes back as 0 (the caller reads the raw
  // byte itself to report it).
  uint32_t readMessageBegin_virt(std::string& name, ::apache::thrift::protocol::TMessageType& type,
                                 int32_t& seqid) override;
  uint32_t readFieldBegin_virt(std::string& name, ::apache::thrift::protocol::TType& type,
                               int16_t& id) override;
  uint32_t readMapBegin_virt(::apache::thrift::protocol::TType& key,
                             ::apache::thrift::protocol::TType& value, uint32_t& size) override;
  uint32_t readListBegin_virt(::apache::thrift::protocol::TType& element, uint32_t& size) override;
  uint32_t readSetBegin_virt(::apache::thrift::protocol::TType& element, uint32_t& size) override;

 private:
  uint32_t read_container_size(uint32_t& size);
};

}  // namespace adbcfault::thrift
