// Command trustelem times github.com/trustelem/zxcvbn, the Go port the
// strength package used before its own engine, on the inputs that
// BenchmarkWorstCaseSearch writes with -dump-hostile (slowest first), so
// docs/benchmarks.md can compare the three on the same inputs. It is a module
// of its own, so the app does not depend on trustelem.
//
//	go test -run '^$' -bench WorstCaseSearch -benchtime 1x ./strength/ -args -dump-hostile /tmp/hostile.json
//	cd bench/trustelem && go run . -n 10 /tmp/hostile.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/trustelem/zxcvbn"
)

func main() {
	n := flag.Int("n", 10, "how many of the slowest inputs to time")
	flag.Parse()
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var inputs []struct {
		Family     string   `json:"family"`
		Password   string   `json:"password"`
		UserInputs []string `json:"userInputs"`
		GoMs       float64  `json:"goMs"`
	}
	if err := json.Unmarshal(data, &inputs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, in := range inputs[:min(*n, len(inputs))] {
		best := time.Duration(1<<63 - 1)
		for range 3 {
			start := time.Now()
			zxcvbn.PasswordStrength(in.Password, in.UserInputs)
			best = min(best, time.Since(start))
		}
		fmt.Printf("%-12s %3d runes  engine %8.2f ms  trustelem %10.2f ms\n", in.Family, len([]rune(in.Password)), in.GoMs, float64(best)/float64(time.Millisecond))
	}
}
