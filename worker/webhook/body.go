package webhook

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/wiresift/wiresift/worker/store"
)

// payload is the JSON of one event. Article is the export object, as the
// article stands when the event is sent.
type payload struct {
	Event     store.EventKind `json:"event"`
	Article   *store.Article  `json:"article,omitempty"`
	ArticleID int64           `json:"article_id,omitempty"`
	Source    *store.Source   `json:"source,omitempty"`
}

// articleReader is the store's article look-up.
type articleReader interface {
	Article(ctx context.Context, id int64) (store.Article, error)
}

// eventBody builds an event's JSON: article.created and article.updated carry
// the article; article.sighted carries its id and the new source.
func eventBody(ctx context.Context, st articleReader, ev store.Event) ([]byte, error) {
	p := payload{Event: ev.Kind}
	switch ev.Kind {
	case store.EventSighted:
		p.ArticleID, p.Source = ev.ArticleID, ev.Source
	default:
		a, err := st.Article(ctx, ev.ArticleID)
		if err != nil {
			return nil, err
		}
		p.Article = &a
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as export writes it
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
