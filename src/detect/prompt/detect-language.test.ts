import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectLanguage } from './detect-language.js';

const ROWS: readonly (readonly [string, string])[] = [
  ['en', 'Can you explain how the immune system works?'],
  ['zh', '请解释一下免疫系统是如何工作的。'],
  ['ja', '免疫システムの仕組みを説明してください。'],
  ['ko', '면역 체계가 어떻게 작동하는지 설명해 주세요.'],
  ['ru', 'Объясни, как работает иммунная система.'],
  ['ar', 'اشرح كيف يعمل الجهاز المناعي.'],
  ['es', '¿Puedes explicar cómo funciona el sistema inmunológico?'],
  ['fr', 'Peux-tu expliquer comment fonctionne le système immunitaire ?'],
  ['de', 'Kannst du erklären, wie das Immunsystem funktioniert?'],
  ['pt', 'Você pode explicar como funciona o sistema imunológico?'],
  ['it', 'Puoi spiegare come funziona il sistema immunitario?'],
  ['und', '12345 + 678 = ?'],
  ['und', ''],
  ['zh', 'Python 里的 list 和 tuple 有什么区别？请详细说明它们的使用场景。'],
  ['en', 'Fix this bug: TypeError in `foo()` when the list is empty and the index is out of range'],
];

describe('language guess', () => {
  for (const [expected, text] of ROWS) {
    it(`${expected}: ${text.slice(0, 40)}`, () => {
      assert.equal(detectLanguage(text), expected);
    });
  }
});
