// "Open a dataset by URL" field with progress, the exact error and Retry; UI only, hands the URL to the dataset controller.
import { useState, type FormEvent } from 'react';
import { useViewStore } from '../state/viewStore.ts';
import { cancelDatasetLoad, openDatasetUrl, retryDatasetOpen } from '../app/datasetController.ts';
import { formatBytes } from '../net/fetchBytes.ts';

export function OpenDataset() {
  const loading = useViewStore((s) => s.loading);
  const loadError = useViewStore((s) => s.loadError);
  const retryUrl = useViewStore((s) => s.loadRetryUrl);
  const [url, setUrl] = useState('');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim() !== '') void openDatasetUrl(url.trim());
  };

  return (
    <form className="open-dataset" onSubmit={onSubmit} data-testid="open-dataset">
      <label className="open-label" htmlFor="dataset-url">
        Or open a dataset by URL (Earshot manifest, scatter-sounds NAME_config.json or projector_config.json)
      </label>
      <div className="open-row">
        <input
          id="dataset-url"
          data-testid="dataset-url"
          type="url"
          inputMode="url"
          placeholder="https://example.org/sounds/earshot-dataset.json"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          spellCheck={false}
        />
        <button type="submit" data-testid="dataset-open" disabled={url.trim() === ''}>
          Open
        </button>
      </div>
      {loading && (
        <p className="note" data-testid="dataset-progress">
          Loading {loading.stage}
          {loading.receivedBytes > 0
            ? `: ${formatBytes(loading.receivedBytes)}${loading.totalBytes ? ` of ${formatBytes(loading.totalBytes)}` : ''}`
            : '…'}{' '}
          <button type="button" className="link" onClick={() => cancelDatasetLoad()}>
            Cancel
          </button>
        </p>
      )}
      {loadError && (
        <p className="error" role="alert" data-testid="dataset-error">
          {loadError}
          {retryUrl !== null && !loading && (
            <>
              {' '}
              <button
                type="button"
                className="link"
                data-testid="dataset-retry"
                title={`Open ${retryUrl} again`}
                onClick={() => retryDatasetOpen()}
              >
                Retry
              </button>
            </>
          )}
        </p>
      )}
    </form>
  );
}
