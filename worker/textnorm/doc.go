// Package textnorm holds the text forms every stage agrees on: the storage
// form of an article (Normalize), the form its content hash is taken of
// (HashForm, Hash) and the word tokenizer that dedup and search share (Words).
package textnorm
