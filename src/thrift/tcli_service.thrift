// adbcfault's own subset of the TCLIService (HiveServer2) protocol: only the methods and fields
// the injector reads or writes. Written from the protocol's public field ids and types; field ids
// are the wire contract, names are ours to choose but follow the protocol's spelling so journal
// output reads like driver logs.
//
// This file is the single source of the schema: the build compiles it to C++ (for the fixtures
// and the error replies) and to JSON (embedded; the generic decoder names fields from it).
// thrift --gen json writes enum-typed fields as plain i32, so every enum-typed field carries an
// (adbcfault.enum = "Name") annotation; without it the decoder shows the number, not the name.
// To extend it see docs/thrift.md. Fields that real servers send but we do not declare (e.g.
// Databricks' high-id extensions) are not lost: the decoder shows them as "field_<id>".

namespace cpp adbcfault.thrift.tcli

// Databricks sends values far above V10 (e.g. 0xA501..), so the fields that carry a protocol
// version are declared i32 (same wire type) and only named by this enum via the annotation: a
// generated C++ enum holding 0xA501 would be outside its range, which is undefined behaviour.
enum TProtocolVersion {
  HIVE_CLI_SERVICE_PROTOCOL_V1 = 0,
  HIVE_CLI_SERVICE_PROTOCOL_V2 = 1,
  HIVE_CLI_SERVICE_PROTOCOL_V3 = 2,
  HIVE_CLI_SERVICE_PROTOCOL_V4 = 3,
  HIVE_CLI_SERVICE_PROTOCOL_V5 = 4,
  HIVE_CLI_SERVICE_PROTOCOL_V6 = 5,
  HIVE_CLI_SERVICE_PROTOCOL_V7 = 6,
  HIVE_CLI_SERVICE_PROTOCOL_V8 = 7,
  HIVE_CLI_SERVICE_PROTOCOL_V9 = 8,
  HIVE_CLI_SERVICE_PROTOCOL_V10 = 9
}

enum TStatusCode {
  SUCCESS_STATUS = 0,
  SUCCESS_WITH_INFO_STATUS = 1,
  STILL_EXECUTING_STATUS = 2,
  ERROR_STATUS = 3,
  INVALID_HANDLE_STATUS = 4
}

// Only the values adbcfault names in its output; any other value decodes as a number.
enum TOperationType {
  EXECUTE_STATEMENT = 0
}

enum TOperationState {
  INITIALIZED_STATE = 0,
  RUNNING_STATE = 1,
  FINISHED_STATE = 2,
  CANCELED_STATE = 3,
  CLOSED_STATE = 4,
  ERROR_STATE = 5,
  UKNOWN_STATE = 6,
  PENDING_STATE = 7,
  TIMEDOUT_STATE = 8
}

enum TFetchOrientation {
  FETCH_NEXT = 0,
  FETCH_PRIOR = 1,
  FETCH_RELATIVE = 2,
  FETCH_ABSOLUTE = 3,
  FETCH_FIRST = 4,
  FETCH_LAST = 5
}

// guid is 16 raw bytes (a UUID); secret is a server-chosen token and is redacted by name.
struct THandleIdentifier {
  1: required binary guid,
  2: required binary secret
}

struct TSessionHandle {
  1: required THandleIdentifier sessionId
}

struct TOperationHandle {
  1: required THandleIdentifier operationId,
  2: required TOperationType operationType (adbcfault.enum = "TOperationType"),
  3: required bool hasResultSet,
  4: optional double modifiedRowCount
}

struct TStatus {
  1: required TStatusCode statusCode (adbcfault.enum = "TStatusCode"),
  2: optional list<string> infoMessages,
  3: optional string sqlState,
  4: optional i32 errorCode,
  5: optional string errorMessage
}

// Rows are not interpreted by adbcfault; TRow is declared empty so its contents (and the
// columnar / Arrow fields servers send in TRowSet) show up as "field_<id>" values.
struct TRow {
}

struct TRowSet {
  1: required i64 startRowOffset,
  2: required list<TRow> rows
}

struct TOpenSessionReq {
  1: required i32 client_protocol (adbcfault.enum = "TProtocolVersion"),
  2: optional string username,
  3: optional string password,
  4: optional map<string, string> configuration
}

struct TOpenSessionResp {
  1: required TStatus status,
  2: required i32 serverProtocolVersion (adbcfault.enum = "TProtocolVersion"),
  3: optional TSessionHandle sessionHandle,
  4: optional map<string, string> configuration
}

struct TCloseSessionReq {
  1: required TSessionHandle sessionHandle
}

struct TCloseSessionResp {
  1: required TStatus status
}

struct TExecuteStatementReq {
  1: required TSessionHandle sessionHandle,
  2: required string statement,
  3: optional map<string, string> confOverlay,
  4: optional bool runAsync,
  5: optional i64 queryTimeout
}

struct TExecuteStatementResp {
  1: required TStatus status,
  2: optional TOperationHandle operationHandle
}

struct TFetchResultsReq {
  1: required TOperationHandle operationHandle,
  2: required TFetchOrientation orientation (adbcfault.enum = "TFetchOrientation"),
  3: required i64 maxRows,
  4: optional i16 fetchType
}

struct TFetchResultsResp {
  1: required TStatus status,
  2: optional bool hasMoreRows,
  3: optional TRowSet results
}

struct TGetOperationStatusReq {
  1: required TOperationHandle operationHandle,
  2: optional bool getProgressUpdate
}

struct TGetOperationStatusResp {
  1: required TStatus status,
  2: optional TOperationState operationState (adbcfault.enum = "TOperationState")
}

struct TCancelOperationReq {
  1: required TOperationHandle operationHandle
}

struct TCancelOperationResp {
  1: required TStatus status
}

struct TCloseOperationReq {
  1: required TOperationHandle operationHandle
}

struct TCloseOperationResp {
  1: required TStatus status
}

struct TGetResultSetMetadataReq {
  1: required TOperationHandle operationHandle
}

struct TGetResultSetMetadataResp {
  1: required TStatus status
}

service TCLIService {
  TOpenSessionResp OpenSession(1: TOpenSessionReq req),
  TCloseSessionResp CloseSession(1: TCloseSessionReq req),
  TExecuteStatementResp ExecuteStatement(1: TExecuteStatementReq req),
  TFetchResultsResp FetchResults(1: TFetchResultsReq req),
  TGetOperationStatusResp GetOperationStatus(1: TGetOperationStatusReq req),
  TCancelOperationResp CancelOperation(1: TCancelOperationReq req),
  TCloseOperationResp CloseOperation(1: TCloseOperationReq req),
  TGetResultSetMetadataResp GetResultSetMetadata(1: TGetResultSetMetadataReq req)
}
