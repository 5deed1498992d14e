// Last of the quiz files: every type has registered itself, so the quizzes can start.
/* global cuQuizSetupAll */
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", cuQuizSetupAll);
} else {
  cuQuizSetupAll();
}
