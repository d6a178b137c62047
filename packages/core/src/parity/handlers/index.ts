// Each area registers the reference modules it can build. Add one import per handler file.
import './attention.js';
