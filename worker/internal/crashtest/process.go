package crashtest

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
)

// Command prepares bin with args in the test's environment less any
// WIRESIFT_* variable of the developer's own, capturing its output.
func Command(bin string, args ...string) (cmd *exec.Cmd, stdout, stderr *bytes.Buffer) {
	cmd = exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WIRESIFT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd, stdout, stderr
}
