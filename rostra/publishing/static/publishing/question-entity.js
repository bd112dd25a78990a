// Draftail entity "QUESTION": an editor selects a passage, clicks “Ask readers a
// question about this passage” and types the question. The passage is stored as
// <span data-question-id data-question>; the id never changes, so readers' answers stay
// attached however the text around it is edited.
(function () {
  "use strict";
  var React = window.React;
  var Draft = window.DraftJS;

  function newId() {
    var bytes = new Uint8Array(6);
    window.crypto.getRandomValues(bytes);
    return "q-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  class QuestionSource extends React.Component {
    componentDidMount() {
      var props = this.props;
      var editorState = props.editorState;
      var selection = editorState.getSelection();
      var existing = props.entity ? props.entity.getData() : null;
      if (selection.isCollapsed() && !existing) {
        window.alert(gettext("Select the passage to ask readers about first."));
        props.onClose();
        return;
      }
      var question = window.prompt(
        gettext("Question for readers about this passage"),
        existing ? existing.question : gettext("Do you agree with this assessment?")
      );
      if (!question || !question.trim()) {
        props.onClose();
        return;
      }
      var content = editorState.getCurrentContent();
      var data = { id: existing ? existing.id : newId(), question: question.trim() };
      var withEntity = content.createEntity(props.entityType.type, "MUTABLE", data);
      var key = withEntity.getLastCreatedEntityKey();
      var applied = Draft.Modifier.applyEntity(withEntity, selection, key);
      props.onComplete(Draft.EditorState.push(editorState, applied, "apply-entity"));
    }

    render() {
      return null;
    }
  }

  function Question(props) {
    var data = props.contentState.getEntity(props.entityKey).getData();
    return React.createElement(
      "span",
      { className: "rostra-question", title: interpolate(gettext("Question to readers: %s"), [data.question]), "data-question": data.question },
      props.children
    );
  }

  window.draftail.registerPlugin(
    { type: "QUESTION", source: QuestionSource, decorator: Question },
    "entityTypes"
  );
})();
