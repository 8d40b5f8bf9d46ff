// PM2 7 will not run a .ts file itself: this plain entry registers tsx, then loads the server.
import { register } from 'tsx/esm/api';

register();
await import('./server.ts');
