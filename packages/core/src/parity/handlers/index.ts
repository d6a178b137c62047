// Each area registers the reference modules it can build. Add one import per handler file.
import './attention.js';
import './recurrent.js';
import './vision.js';
import './layernorm.js';
import './functional.js';
import './losses.js';
import './optim.js';
