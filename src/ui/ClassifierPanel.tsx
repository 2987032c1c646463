// Learn from labels: trains a softmax classifier (L2) on the labelled points' embeddings in the analysis worker, colours
// by predicted class and confidence, and lists the least certain points to listen to and label next. UI only.
import { useExploreStore } from '../state/exploreStore.ts';
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';
import { labelPoints, playList, predictionOf, trainClassifier } from '../app/explore.ts';
import { PointRow } from './PointRow.tsx';

export function ClassifierPanel() {
  const { pipeline } = useSession();
  const classes = useExploreStore((s) => s.classes);
  const acc = useExploreStore((s) => s.cvAccuracy);
  const queue = useExploreStore((s) => s.reviewQueue);
  const busyNow = useExploreStore((s) => s.busy);
  useExploreStore((s) => s.labelsVersion);
  const pointCount = useStore((s) => s.pointCount);
  const map = pipeline.map;
  if (!map || pointCount === 0) return null;
  return (
    <section className="panel" data-testid="classifier-panel">
      <h2>Learn from labels</h2>
      <div className="row">
        <button
          type="button"
          data-testid="classifier-train"
          disabled={busyNow !== null}
          onClick={() => void trainClassifier()}
        >
          Train classifier
        </button>
        {classes.length > 0 && (
          <span className="note" data-testid="classifier-summary" data-accuracy={acc ?? ''}>
            {classes.length} classes
            {acc !== null
              ? ` · 5-fold accuracy ${(acc * 100).toFixed(1)} % (folds keep a file's windows and its exact copies together)`
              : ''}
          </span>
        )}
      </div>
      {queue.length > 0 && (
        <>
          <p className="note">Least certain: listen, then accept the guess.</p>
          <button type="button" onClick={() => void playList(queue.map((q) => q.point))}>
            Play all
          </button>
          <ol className="point-list" data-testid="review-queue">
            {queue.map((q) => {
              const pred = predictionOf(q.point);
              return (
                <PointRow
                  key={q.point}
                  map={map}
                  point={q.point}
                  testId="review-item"
                  extra={
                    pred && (
                      <button
                        type="button"
                        title="Label it with the guess"
                        onClick={(e) => {
                          e.stopPropagation();
                          labelPoints(pred.label, [q.point]);
                        }}
                      >
                        {pred.label} {(pred.confidence * 100).toFixed(0)}%
                      </button>
                    )
                  }
                />
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
