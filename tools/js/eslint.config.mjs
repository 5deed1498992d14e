// ESLint for the front-end files in course_utils/static (run by `make lint`).
// The files are classic scripts (not modules): the page inlines them into one closure, so
// functions defined in one file (cuSha256Hex, cuQuizTypes, ...) are used by the next.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["course_utils/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2017,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      "no-var": "off",
      eqeqeq: ["error", "always"],
      "no-implicit-globals": "off",
      "no-unused-vars": ["error", { args: "none" }],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
    },
  },
];
