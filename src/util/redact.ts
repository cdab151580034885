/** A URL as it may be shown: any `user:password@` removed, even from text that is no valid URL. */
export function redactUserinfo(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/, '//');
}
