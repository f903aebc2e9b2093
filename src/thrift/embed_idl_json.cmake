# Writes INPUT (the IDL as `thrift --gen json`) into OUTPUT as a C++ byte array, so the decoder
# carries the schema it was built with. A byte array, not a raw string literal, so no delimiter
# can ever collide with the content.
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from tcli_service.thrift by embed_idl_json.cmake. Do not edit.\n"
"#include \"thrift/idl_json.h\"\n\n"
"namespace adbcfault::thrift {\n\n"
"std::string_view tcli_service_idl_json() {\n"
"  static const char kJson[] = {\n    ${bytes}};\n"
"  return {kJson, sizeof kJson};\n"
"}\n\n"
"}  // namespace adbcfault::thrift\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
