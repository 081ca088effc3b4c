package extract

import _ "github.com/wiresift/wiresift/worker/internal/storetest"
