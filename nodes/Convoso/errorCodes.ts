/**
 * Convoso's documented error codes, in words a workflow builder can act on.
 * Sources: Convoso's API pages and the public SDKs' code tables. Some codes mean
 * different things on different endpoints; these are the callback and lead ones.
 */
export const CONVOSO_ERROR_MESSAGES: Record<number, string> = {
	403: 'The API token is not allowed to do this (Forbidden)',
	6000: 'No callbacks match the search',
	6001: 'No such lead',
	6006: 'No such user: check the user id',
	6023: 'Required fields are missing',
	6026: 'Invalid campaign id',
	6031: 'Invalid date format: dates must be YYYY-MM-DD',
	6038: 'No such callback',
	6042: 'Invalid list id',
	6070: 'Invalid lead id',
	6071: 'Invalid callback time format: Convoso expects "YYYY-MM-DD hh:mm AM/PM"',
	6072: 'Invalid time zone offset',
	6073: 'Invalid callback id',
	6074: 'Callback not found',
	7231: 'Invalid offset value: Convoso allows offsets up to 50,000',
	7237: 'Invalid callback time',
	7258: 'Invalid limit value: Convoso allows at most 5,000 callbacks (2,000 leads) per page',
};

/** The code Convoso uses when a callback search finds nothing: an empty result, not an error. */
export const NO_CALLBACKS_FOUND = 6000;

/** Convoso's answers (HTTP 200, success false) to a wrong, expired or missing token. */
export const TOKEN_ERRORS = [
	'Invalid (or expired) authentication token',
	'Invalid authentication token',
	'Missing authentication token',
] as const;

/**
 * What the node says about a token Convoso refused, and the credential test too, so
 * a builder reads the same words in both places.
 */
export const TOKEN_REFUSED = {
	message: (convosoSaid: string) => `Convoso rejected the API token ("${convosoSaid}")`,
	description: 'Check the API token in the Convoso credential, and that it has Callbacks access.',
	http401: 'Convoso rejected the API token (HTTP 401)',
	http403: 'Convoso refused the request (HTTP 403)',
	http403Description: 'The token is not valid for this office, or it lacks Callbacks access.',
};
