//go:build benchstrength

package main

// Built with -tags benchstrength, hello also links the strength package (and
// its generated word lists), so scripts/bench-gui.sh can show what that alone
// adds to the start time.
import _ "salesplus/strength"
