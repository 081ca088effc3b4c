package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"

	"github.com/wiresift/wiresift/worker/store"
)

// Headers of every delivery.
const (
	HeaderEvent     = "X-Wiresift-Event"
	HeaderDelivery  = "X-Wiresift-Delivery"
	HeaderSignature = "X-Wiresift-Signature"
)

// maxAnswer bounds how much of a receiver's answer is read (and dropped)
// so that the connection can be reused.
const maxAnswer = 64 << 10

// Sign is the X-Wiresift-Signature value of body: "sha256=" and the hex
// HMAC-SHA256 of the exact bytes sent, keyed with the secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is body's signature under secret, in constant time.
func Verify(secret string, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(sig))
}

// send POSTs one body; nil means a 2xx acknowledged it.
func (d *Deliverer) send(ctx context.Context, ev store.Event, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, d.c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.c.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if d.c.UserAgent != "" {
		req.Header.Set("User-Agent", d.c.UserAgent)
	}
	req.Header.Set(HeaderEvent, string(ev.Kind))
	req.Header.Set(HeaderDelivery, ev.Delivery)
	if d.c.Secret != "" {
		req.Header.Set(HeaderSignature, Sign(d.c.Secret, body))
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return fmt.Errorf("%s answered %s (redirect to %q not followed)", d.c.URL, resp.Status, resp.Header.Get("Location"))
	}
	return fmt.Errorf("%s answered %s", d.c.URL, resp.Status)
}
