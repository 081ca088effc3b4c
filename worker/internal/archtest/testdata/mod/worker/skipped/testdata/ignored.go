package ignored

import _ "github.com/wiresift/wiresift/worker/cli"
