// The live quiz's keyboard and screen-reader helper (course_utils/quiz/widgets.py): the
// front-end module of a hidden anywidget inside the quiz's box. Python sends this text with
// `export default { render: cuQuizWidgetRender };` appended; nothing is loaded from anywhere.
//
// JupyterLab 4 runs its shortcuts from a keydown listener on the document (bubbling), so
// ArrowUp/ArrowDown on a focused radio button selected another notebook cell. The arrow keys now
// stop at the quiz once the browser has moved the choice within the radio group (the default
// action, which stopping propagation keeps). Every other key still reaches JupyterLab.
// Each question's options get role="radiogroup" (or "group") named by the question's prompt,
// and the feedback, score and save-status areas aria-live="polite", as on the book's page.
/* exported cuQuizWidgetRender */

var CU_QUIZ_ARROWS = [
  "ArrowUp",
  "ArrowDown",
  "ArrowLeft",
  "ArrowRight",
  "Up",
  "Down",
  "Left",
  "Right",
];
var cuQuizWidgetIds = 0;

function cuQuizWidgetKeydown(event) {
  var target = event.target;
  if (CU_QUIZ_ARROWS.indexOf(event.key) < 0 || !target || typeof target.matches !== "function") {
    return;
  }
  if (target.matches(".cu-quiz-choices input[type=radio]")) {
    event.stopPropagation();
  }
}

function cuQuizWidgetSet(element, name, value) {
  if (element && element.getAttribute(name) !== value) {
    element.setAttribute(name, value);
  }
}

function cuQuizWidgetLabel(root) {
  var questions = root.querySelectorAll(".cu-quiz-question");
  for (var i = 0; i < questions.length; i++) {
    var question = questions[i];
    var prompt = question.querySelector(".cu-quiz-prompt .widget-html-content");
    if (prompt && !prompt.id) {
      cuQuizWidgetIds += 1;
      prompt.id = "cu-quiz-widget-prompt-" + cuQuizWidgetIds;
    }
    var radios = question.querySelector(".cu-quiz-choices .widget-radio-box");
    var group = radios || question.querySelector(".cu-quiz-choices");
    if (group && prompt) {
      cuQuizWidgetSet(group, "role", radios ? "radiogroup" : "group");
      cuQuizWidgetSet(group, "aria-labelledby", prompt.id);
    }
  }
  var live = root.querySelectorAll(".cu-quiz-live .widget-html-content");
  for (var j = 0; j < live.length; j++) {
    cuQuizWidgetSet(live[j], "aria-live", "polite");
  }
}

function cuQuizWidgetRender(context) {
  var el = context.el;
  var root = null;
  var observer = null;
  var timer = null;
  var tries = 0;
  el.classList.add("cu-quiz-keys");
  function attach() {
    // The view is put into the quiz's box after it renders: wait until it is in the page.
    root = el.closest(".cu-quiz-widget");
    if (!root) {
      tries += 1;
      if (tries < 1200) {
        timer = setTimeout(attach, 50);
      }
      return;
    }
    root.addEventListener("keydown", cuQuizWidgetKeydown);
    cuQuizWidgetLabel(root);
    observer = new MutationObserver(function () {
      cuQuizWidgetLabel(root);
    });
    observer.observe(root, { childList: true, subtree: true });
  }
  attach();
  return function () {
    clearTimeout(timer);
    if (root) {
      root.removeEventListener("keydown", cuQuizWidgetKeydown);
    }
    if (observer) {
      observer.disconnect();
    }
  };
}
