package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
)

// docsReceiver is the receiver of docs/webhook.md, line for line, so the
// example there is known to work.
func docsReceiver(secret []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		m := hmac.New(sha256.New, secret)
		m.Write(body)
		if !hmac.Equal([]byte(r.Header.Get("X-Wiresift-Signature")), []byte("sha256="+hex.EncodeToString(m.Sum(nil)))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		log.Printf("%s %s %.80s", r.Header.Get("X-Wiresift-Event"), r.Header.Get("X-Wiresift-Delivery"), body)
	}
}

func TestDocsReceiverAcceptsOnlyTheRightSecret(t *testing.T) {
	for _, c := range []struct {
		name            string
		receiverSecret  string
		wantDelivered   int
		wantBacklogLeft int64
	}{
		{"Same secret", secret, 1, 0},
		{"Other secret", "not-" + secret, 0, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openStore(t)
			clk := newClock()
			srv := httptest.NewServer(docsReceiver([]byte(c.receiverSecret)))
			defer srv.Close()
			ingest(t, s, clk.Now(), "http://127.0.0.1/f.xml", "1", "http://127.0.0.1/one", "a story")
			res, err := newDeliverer(t, s, srv.URL, clk).Drain(context.Background())
			ob, _ := s.OutboxStats(context.Background())
			if err != nil || res.Delivered != c.wantDelivered || ob.Pending != c.wantBacklogLeft {
				t.Errorf("want %d delivered and %d left, got %+v, %d left, %v", c.wantDelivered, c.wantBacklogLeft, res, ob.Pending, err)
			}
		})
	}
}
