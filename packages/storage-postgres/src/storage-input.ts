import { storageInput } from '@iac-dharma/core';

// The input checks shared by every Storage adapter live in core, so all adapters reject the same input.
export const {
  checkFindingQuery,
  checkHistoryQuery,
  checkPointRangeQuery,
  parseFindings,
  parseHistoryRecord,
  parsePoints,
  parseResource,
  parseStateKey,
  stateToJson,
} = storageInput;
