package keydoc

//go:generate go run ../../scripts/keysmd ../../README.md
