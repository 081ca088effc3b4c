package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExtractPrintsTitleBlankLineThenBody(t *testing.T) {
	wantTitle, wantBody := seedExpected(t)
	code, out, errOut := cliRun(t, "extract", "-url", "https://www.communicationstoday.co.in/x/", filepath.Join("testdata", "seed-wordpress.html"))
	if code != 0 {
		t.Fatalf("extract exited %d: %s", code, errOut)
	}
	title, body, ok := strings.Cut(out, "\n\n")
	if !ok || title != wantTitle {
		t.Fatalf("first line = %q, want the title %q followed by a blank line", title, wantTitle)
	}
	if collapse(body) != collapse(wantBody) {
		t.Errorf("body differs from expected-body.txt:\n got %.200s…", body)
	}
	if !strings.Contains(body, "\n\nAnd even if Huawei") {
		t.Errorf("paragraphs are not separated by blank lines:\n%.300s", body)
	}
}

func TestExtractReadsStdin(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "seed-other.html"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Main(context.Background(), testBuild(t), []string{"extract", "-format", "jsonl"}, bytes.NewReader(page), &out, &errb)
	if code != 0 {
		t.Fatalf("extract from stdin exited %d: %s", code, errb.String())
	}
	var got extracted
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.File != "-" || !strings.HasPrefix(got.Text, "Canada could see") {
		t.Errorf("stdin page: %+v, %v", got, err)
	}
}

// Several files give one JSON object a page, in the order given (pages are
// extracted in parallel), and a page that cannot be read is reported in its
// place without stopping the others.
func TestExtractSeveralFilesAsJSONLinesInOrder(t *testing.T) {
	files := []string{
		filepath.Join("testdata", "seed-other.html"),
		filepath.Join("testdata", "no-such-page.html"),
		filepath.Join("testdata", "seed-wordpress.html"),
		filepath.Join("testdata", "seed-other.html"),
	}
	code, out, _ := cliRun(t, append([]string{"extract"}, files...)...)
	if code != 1 {
		t.Errorf("exit = %d, want 1 (one page could not be read)", code)
	}
	var got []extracted
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var x extracted
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			t.Fatalf("line is not JSON: %v: %s", err, sc.Text())
		}
		got = append(got, x)
	}
	if len(got) != len(files) {
		t.Fatalf("got %d lines, want %d", len(got), len(files))
	}
	for i, x := range got {
		if x.File != files[i] {
			t.Errorf("line %d is %s, want %s", i+1, x.File, files[i])
		}
	}
	if got[1].Error == "" || got[1].Text != "" {
		t.Errorf("missing file: %+v, want an error and no text", got[1])
	}
	if got[0].Text == "" || got[0].Text != got[3].Text || got[0].Text != got[2].Text {
		t.Errorf("the same story in two templates must give the same text:\n%q\n%q", got[0].Text, got[2].Text)
	}
}
