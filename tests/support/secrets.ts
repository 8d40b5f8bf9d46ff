// The secrets every test server uses: the in-process harness and the server processes alike.
export const API_TOKEN = 'test-api-token';
export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';
export const ACCESS_TOKEN = 'test-token';
