/** Box's standard error body, as the 409 of an upload or folder create whose name is taken. */
export const STANDARD_409 = {
  type: 'error',
  status: 409,
  code: 'item_name_in_use',
  message: 'Item with the same name already exists',
  context_info: { conflicts: { type: 'file', id: '12345', name: 'report.pdf' } },
  help_url: 'http://developers.box.com/docs/#errors',
  request_id: 'abc123',
};

/** What the error-body parser gives for a body with nothing of Box's in it. */
export const EMPTY_BOX_BODY = Object.freeze({
  code: undefined,
  message: undefined,
  requestId: undefined,
  helpUrl: undefined,
  contextInfo: undefined,
});
