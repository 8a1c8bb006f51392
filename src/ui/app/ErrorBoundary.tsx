import './ErrorBoundary.css';
import { Component, type ReactNode } from 'react';

interface Props {
  /** Put the view back to its defaults (filters, sort, selection), so what failed is not shown again. */
  onReset(): void;
  children: ReactNode;
}

interface State {
  failed: boolean;
}

/**
 * Keeps the page when a panel fails to draw: the top bar, the open buttons and the capture stay, and
 * "Reset view" clears what the view was asked to show (a crafted link's filter, say) and draws again.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  private readonly reset = (): void => {
    this.props.onReset();
    this.setState({ failed: false });
  };

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="view-failed" role="alert" data-testid="view-failed">
        <p>
          <strong>This view could not be shown.</strong> The capture is still open: reset the view (filters, sort and
          selection) to go on, or open another capture.
        </p>
        <button type="button" className="button button-primary" onClick={this.reset} data-testid="reset-view">
          Reset view
        </button>
      </div>
    );
  }
}
