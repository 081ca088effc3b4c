package storetest

import (
	"errors"

	"github.com/wiresift/wiresift/worker/store"
)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
