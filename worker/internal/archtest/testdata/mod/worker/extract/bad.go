package extract

import "github.com/wiresift/wiresift/worker/store"

var _ store.Store
