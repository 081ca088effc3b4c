package main

import (
	"fmt"

	"github.com/wiresift/wiresift/worker/cli"
)

func main() { fmt.Println(cli.X) }
